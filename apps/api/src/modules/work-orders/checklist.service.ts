import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { ChecklistAdd, ChecklistAnswerInput, ChecklistItem } from '@gmao/contracts';
import { answerChecklistItem, checklistOf, insertChecklistItems, type ChecklistItemValues, type DB } from '@gmao/db';
import { evaluateMeasurement, measurementJudgeable } from '@gmao/domain';
import type { ActorContext } from '../../lib/context.js';
import { badRequest, conflict, notFound, unprocessable } from '../../lib/problem.js';
import { templateChecklistItems } from './checklist-items.js';
import { writeWork } from './work-order-access.js';
import { findOr404, toChecklistItem } from './work-order-view.js';

/**
 * A work order's checklist: items copied from the territory's templates or written by
 * hand, answered pass/fail/not applicable, as text, or as measurements judged against
 * their limits (never by the client).
 */
export class ChecklistService {
  constructor(private readonly deps: { db: Kysely<DB> }) {}

  async checklist(ctx: ActorContext, id: string): Promise<{ items: ChecklistItem[] }> {
    await findOr404(this.deps.db, ctx.principal, id);
    return { items: (await checklistOf(this.deps.db, id)).map(toChecklistItem) };
  }

  async addChecklist(ctx: ActorContext, id: string, input: z.output<typeof ChecklistAdd>): Promise<{ items: ChecklistItem[] }> {
    await writeWork(this.deps.db, ctx, id, 'editChecklist', 'work_order.checklist_add', async ({ trx, wo }) => {
      const existing = await checklistOf(trx, wo.id);
      const items: ChecklistItemValues[] =
        'template' in input
          ? await templateChecklistItems(trx, { territoryId: ctx.principal.territoryId, equipmentId: wo.equipmentId, method: input.method }, input.template, 'body.template')
          : [{
              key: `item-${existing.length + 1}-${Date.now().toString(36)}`, label: input.item.label, kind: input.item.kind, mandatory: input.item.mandatory,
              unit: input.item.unit, minValue: input.item.min, maxValue: input.item.max, templateCode: null,
            }];
      const fresh = items.filter((i) => !existing.some((e) => e.key === i.key));
      if (fresh.length === 0) throw conflict('Ces points de contrôle sont déjà dans la liste.', 'duplicate');
      await insertChecklistItems(trx, wo.id, fresh, existing.length);
      return { added: fresh.map((i) => i.key) };
    });
    return this.checklist(ctx, id);
  }

  async answer(ctx: ActorContext, id: string, itemId: string, input: z.output<typeof ChecklistAnswerInput>): Promise<ChecklistItem> {
    let answered: ChecklistItem | undefined;
    await writeWork(this.deps.db, ctx, id, 'editChecklist', 'work_order.checklist_answer', async ({ trx, wo }) => {
      const item = (await checklistOf(trx, wo.id)).find((c) => c.id === itemId);
      if (!item) throw notFound('Point de contrôle');
      const na = input.outcome === 'not_applicable';
      let outcome = input.outcome;
      if (!na) {
        if (item.kind === 'measurement') {
          if (input.value === null) throw badRequest('Valeur mesurée attendue.', [{ path: 'body.value', message: 'valeur obligatoire' }], 'validation_failed');
          // A reading below what the method can measure (the differential method under 75 µA) cannot be judged.
          if (!measurementJudgeable(input.value, item.measurableFrom)) {
            throw unprocessable(
              `Mesure de ${input.value} ${item.unit ?? ''} inférieure à ${item.measurableFrom} ${item.unit ?? ''} : la méthode différentielle ne peut pas la juger (IEC 62353). Mesurez par la méthode directe ou alternative.`.replace(/ +/g, ' '),
              'measurement_below_method_range',
              [{ path: 'body.value', message: `mesure non valable sous ${item.measurableFrom} ${item.unit ?? ''}`.trim() }],
            );
          }
          // The result of a measurement comes from its limits, never from the client.
          outcome = evaluateMeasurement(input.value, { min: item.minValue, max: item.maxValue });
        } else if (item.kind === 'text') {
          if (!input.text) throw badRequest('Texte attendu.', [{ path: 'body.text', message: 'texte obligatoire' }], 'validation_failed');
          outcome = null;
        } else if (outcome !== 'pass' && outcome !== 'fail') {
          throw badRequest('Conforme, non conforme ou sans objet attendu.', [{ path: 'body.outcome', message: 'pass, fail ou not_applicable' }], 'validation_failed');
        }
      }
      const row = await answerChecklistItem(trx, itemId, {
        outcome, textValue: item.kind === 'text' && !na ? input.text : null, numericValue: item.kind === 'measurement' && !na ? input.value : null,
        answeredBy: ctx.principal.userId,
      });
      answered = toChecklistItem(row);
      return answered;
    });
    return answered!;
  }
}
