import { describe, expect, it } from 'vitest';
import { judgePassword, personalInputs, PASSWORD_MIN_SCORE } from './password-strength.js';

const inputs = personalInputs('marie.dupont@ght-demo.fr', 'Marie Dupont');

describe('judgePassword', () => {
  it.each([
    ['one character repeated', 'aaaaaaaaaaaaaaa', /répétés/],
    ['a sequence', 'abcdefghijklmn', /séquences/],
    ['a keyboard row', 'azertyuiop123', /clavier/],
    ['a common password', 'password12345', /couramment|similaire/],
    ['a French common password', 'motdepasse2026', /trop faible/],
    ['the email itself', 'marie.dupont@ght-demo.fr', /adresse e-mail ou votre nom/],
    ['the name and a year', 'MarieDupont2026', /adresse e-mail ou votre nom/],
    ['the name with a space', 'Marie Dupont', /adresse e-mail ou votre nom/],
  ])('refuses %s with a French reason', (_kind, password, reason) => {
    const v = judgePassword(password, inputs);
    expect(v.score).toBeLessThan(PASSWORD_MIN_SCORE);
    expect(v.problem).toMatch(/^Mot de passe trop faible : /);
    expect(v.problem).toMatch(reason);
  });

  it.each(['Tr0mbone-Glacier-88', 'ciel bleu lavande orage', 'correct horse battery'])('accepts %s', (password) => {
    expect(judgePassword(password, inputs)).toMatchObject({ problem: null });
  });

  it('takes the email, its parts and the name as personal inputs', () => {
    expect(inputs).toEqual(['marie.dupont@ght-demo.fr', 'marie.dupont', 'marie', 'dupont', 'ght-demo']);
  });
});
