import { describe, expect, it } from 'vitest';
import { WorkRequestCreate } from '@gmao/contracts';
import { apiFieldMessage, isMissingValue, issueMessage } from './validation.ts';

const issues = () =>
  WorkRequestCreate.safeParse(
    { equipmentId: '6f1d0b9e-8e5e-4a0e-9f7e-2f4f1c2b3a4d', symptom: 'abc', deviceOutOfService: null, callbackName: 'x'.repeat(200), callbackPhone: 'abc' },
    { reportInput: true },
  ).error!.issues;

describe('validation messages in the UI language', () => {
  it('tells an unanswered field from a wrong one', () => {
    const byField = Object.fromEntries(issues().map((i) => [i.path.join('.'), i]));
    expect(isMissingValue(byField.deviceOutOfService!)).toBe(true);
    expect(isMissingValue(byField.symptom!)).toBe(false);
    expect(isMissingValue(byField.callbackPhone!)).toBe(false);
  });

  it('keeps the contracts’ French in French and translates them in English', () => {
    const byField = Object.fromEntries(issues().map((i) => [i.path.join('.'), i]));
    expect(issueMessage(byField.symptom!, 'fr')).toBe('Décrivez la panne (5 caractères au moins)');
    expect(issueMessage(byField.symptom!, 'en')).toBe('Describe the fault (5 characters at least)');
    expect(issueMessage(byField.callbackPhone!, 'en')).toBe('Invalid phone number');
    // A generic zod message configured in French (the contracts do so) comes out in English.
    expect(issueMessage(byField.callbackName!, 'en')).toMatch(/^Too big/);
  });

  it('translates the API’s field errors it knows, and says when it does not', () => {
    expect(apiFieldMessage('Code postal : 5 chiffres', 'en')).toBe('Postcode: 5 digits');
    expect(apiFieldMessage('site inconnu', 'en')).toBeNull();
    expect(apiFieldMessage('site inconnu', 'fr')).toBe('site inconnu');
  });
});
