import type { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { CompetencyNeeds } from '@gmao/contracts';
import { ENUM_LABELS, type SkillLevel } from '@gmao/domain';
import { CSV_BOM, csvRow, csvText } from '../../lib/csv.js';
import type { Locale } from '../../lib/french.js';

/**
 * The competency needs' exports (ADR 0021): CSV for French Excel (lib/csv.ts: BOM, `;`,
 * formula guard), one table with a type column (training or recruitment); XLSX through
 * exceljs's streaming writer (as the purchasing export), a sheet for each. Headers in the
 * reader's language. In the XLSX, as in the purchasing and inventory workbooks, text is written
 * as string cells, which a spreadsheet never runs as formulas: the value stays as it is.
 */

type Key = 'type' | 'priority' | 'gap' | 'categoryCode' | 'categoryLabel' | 'skill' | 'site' | 'devices' | 'trainer' | 'trainerSite'
  | 'distanceKm' | 'trainees' | 'level';
type Cell = string | number | null;
type Row = Partial<Record<Key, Cell>>;

interface Texts {
  headers: Record<Key, string>;
  types: { training: string; recruitment: string };
  gaps: Record<string, string>;
  territory: string;
  trainingSheet: string;
  recruitmentSheet: string;
  file: string;
}

export const NEEDS_TEXTS: Record<Locale, Texts> = {
  fr: {
    headers: {
      type: 'Type', priority: 'Priorité', gap: 'Écart', categoryCode: 'Code catégorie', categoryLabel: 'Catégorie d’équipement', skill: 'Compétence',
      site: 'Site', devices: 'Équipements', trainer: 'Formateur', trainerSite: 'Site du formateur', distanceKm: 'Distance (km)',
      trainees: 'Stagiaires', level: 'Niveau visé',
    },
    types: { training: 'formation', recruitment: 'recrutement' },
    gaps: {
      no_one_competent: 'Personne de compétent', single_expert: 'Un seul expert', depends_on_other_sites: 'Dépend d’autres sites',
      no_expert_in_territory: 'Aucun expert sur le territoire',
    },
    territory: 'Territoire',
    trainingSheet: 'Formations',
    recruitmentSheet: 'Recrutements',
    file: 'besoins-competences',
  },
  en: {
    headers: {
      type: 'Type', priority: 'Priority', gap: 'Gap', categoryCode: 'Category code', categoryLabel: 'Equipment category', skill: 'Skill',
      site: 'Site', devices: 'Devices', trainer: 'Trainer', trainerSite: 'Trainer’s site', distanceKm: 'Distance (km)',
      trainees: 'Trainees', level: 'Target level',
    },
    types: { training: 'training', recruitment: 'recruitment' },
    gaps: {
      no_one_competent: 'No one competent', single_expert: 'Single expert', depends_on_other_sites: 'Depends on other sites',
      no_expert_in_territory: 'No expert in the territory',
    },
    territory: 'Territory',
    trainingSheet: 'Trainings',
    recruitmentSheet: 'Recruitments',
    file: 'competency-needs',
  },
};

const TRAINING_KEYS: readonly Key[] = ['priority', 'gap', 'categoryCode', 'categoryLabel', 'skill', 'site', 'devices', 'trainer', 'trainerSite', 'distanceKm', 'trainees', 'level'];
const RECRUITMENT_KEYS: readonly Key[] = ['priority', 'gap', 'categoryCode', 'categoryLabel', 'site', 'devices', 'level'];
const CSV_KEYS: readonly Key[] = ['type', ...TRAINING_KEYS];

function trainingRows(n: CompetencyNeeds, locale: Locale): Row[] {
  const t = NEEDS_TEXTS[locale];
  const level = (l: SkillLevel | null) => (l ? ENUM_LABELS[locale].skillLevels[l] : '—');
  return n.trainings.map((x) => ({
    type: t.types.training, priority: x.priority, gap: t.gaps[x.gap] ?? x.gap, categoryCode: x.categoryCode, categoryLabel: x.categoryLabel,
    skill: x.skillName, site: x.siteName, devices: x.devices, trainer: x.trainer.name, trainerSite: x.trainer.siteName, distanceKm: x.distanceKm,
    trainees: x.trainees.map((p) => `${p.name} (${p.siteName}, ${level(p.level)})`).join(', '),
    level: ENUM_LABELS[locale].skillLevels[x.gap === 'no_one_competent' ? 'confirmed' : 'expert'],
  }));
}

function recruitmentRows(n: CompetencyNeeds, locale: Locale): Row[] {
  const t = NEEDS_TEXTS[locale];
  return n.recruitments.map((x) => ({
    type: t.types.recruitment, priority: x.priority, gap: t.gaps[x.gap] ?? x.gap, categoryCode: x.categoryCode, categoryLabel: x.categoryLabel,
    site: x.siteName ?? t.territory, devices: x.devices, level: ENUM_LABELS[locale].skillLevels[x.level],
  }));
}

function csvCell(v: Cell | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return String(v).replace('.', ',');
  return csvText(v);
}

/** One table: trainings then recruitments, a type column first. */
export function needsCsv(n: CompetencyNeeds, locale: Locale): string {
  const header = csvRow(CSV_KEYS.map((k) => csvText(NEEDS_TEXTS[locale].headers[k])));
  const rows = [...trainingRows(n, locale), ...recruitmentRows(n, locale)];
  return CSV_BOM + header + rows.map((r) => csvRow(CSV_KEYS.map((k) => csvCell(r[k])))).join('');
}

/** Text as a string cell (never a formula), numbers as numbers. */
function xlsxCell(v: Cell | undefined): Cell {
  return v === undefined ? null : v;
}

export function needsFileName(locale: Locale, extension: 'csv' | 'xlsx', day: string): string {
  return `${NEEDS_TEXTS[locale].file}-${day}.${extension}`;
}

/** Two sheets (trainings, recruitments), bold frozen headers, numbers as numbers. */
export async function writeNeedsXlsx(n: CompetencyNeeds, locale: Locale, out: PassThrough): Promise<void> {
  const t = NEEDS_TEXTS[locale];
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'GMAO de territoire';
  workbook.created = new Date();
  const sheets: [string, readonly Key[], Row[]][] = [
    [t.trainingSheet, TRAINING_KEYS, trainingRows(n, locale)],
    [t.recruitmentSheet, RECRUITMENT_KEYS, recruitmentRows(n, locale)],
  ];
  for (const [name, keys, rows] of sheets) {
    const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
    sheet.columns = keys.map((k) => ({ key: k, width: k === 'trainees' ? 60 : k === 'categoryLabel' || k === 'skill' ? 32 : 16 }));
    const header = sheet.addRow(keys.map((k) => t.headers[k]));
    header.font = { bold: true };
    header.commit();
    for (const r of rows) sheet.addRow(keys.map((k) => xlsxCell(r[k]))).commit();
    sheet.commit();
  }
  await workbook.commit();
}
