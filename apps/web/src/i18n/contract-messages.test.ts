import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as contracts from '@gmao/contracts';
import { UDI_DI_MESSAGES, UDI_PI_MESSAGES } from '@gmao/domain';
import { CONTRACT_MESSAGES_EN } from './contract-messages.ts';

const CONTRACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../packages/contracts/src');

/** A template literal's text with its `${CONSTANT}` parts taken from the contracts' exports. */
const expand = (template: string) =>
  template.replace(/\$\{([\w.]+)\}/g, (_, name: string) =>
    String(name.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], contracts)));

/** The messages written in the contracts: `.min(n, '…')`, `.regex(re, '…')`, `{ message: '…' }`, `error: '…'`. */
function contractMessages(): string[] {
  const found = new Set<string>();
  for (const file of readdirSync(CONTRACTS).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const source = readFileSync(path.join(CONTRACTS, file), 'utf8');
    for (const m of source.matchAll(/\.(?:min|max|length|regex|refine|startsWith|endsWith|includes)\((?:[^'()]|\([^()]*\))*?,\s*'([^']+)'\s*\)/g)) found.add(m[1]!);
    for (const m of source.matchAll(/\b(?:message|error):\s*'([^']+)'/g)) found.add(m[1]!);
    for (const m of source.matchAll(/\breturn '([^']+)';/g)) found.add(m[1]!);
    for (const m of source.matchAll(/\.(?:min|max|length|regex|refine)\((?:[^`()]|\([^()]*\))*?,\s*`([^`]+)`\s*\)/g)) found.add(expand(m[1]!));
    for (const m of source.matchAll(/\b(?:message|error):\s*`([^`]+)`/g)) found.add(expand(m[1]!));
  }
  return [...found];
}

describe('the contracts’ messages in English', () => {
  it('finds the contracts’ messages', () => {
    expect(contractMessages()).toContain('Décrivez la panne (5 caractères au moins)');
    expect(contractMessages()).toContain('Numéro de téléphone invalide');
    expect(contractMessages()).toContain(`Le mot de passe doit faire au moins ${contracts.PASSWORD_MIN_LENGTH} caractères`);
  });

  it('has an English text for every message of the contracts', () => {
    const missing = contractMessages().filter((m) => !(m in CONTRACT_MESSAGES_EN));
    expect(missing).toEqual([]);
  });

  it('has an English text for the domain’s UDI messages that the contracts answer', () => {
    const domain = [...Object.values(UDI_DI_MESSAGES), ...Object.values(UDI_PI_MESSAGES)];
    expect(domain.filter((m) => !(m in CONTRACT_MESSAGES_EN))).toEqual([]);
  });
});
