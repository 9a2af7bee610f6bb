import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../../server/auth/passwordPolicy';

describe('password policy (NIST SP 800-63B)', () => {
  it('accepts long passwords of any make-up, with no rules about character classes', () => {
    for (const ok of [
      'correct horse battery staple',
      'purple tractor on the old bridge',
      'alllowercaseletters',
      '8274 1930 5561',
      'Ünïcödé pässwörd ñ',
      'x'.repeat(3) + 'y'.repeat(3) + 'z'.repeat(3) + 'w'.repeat(3),
    ]) {
      expect(passwordProblem(ok, 'jdoe'), ok).toBeNull();
    }
  });

  it('counts characters, not bytes: twelve emoji are twelve characters', () => {
    expect(passwordProblem('🚓🚒🚑🚓🚒🚑🚓🚒🚑🚓🚒🧯', null)).toBeNull();
    expect(passwordProblem('🚓🚒🚑🚓🚒🚑', null)).toMatch(/at least 12 characters/);
  });

  it('refuses twelve of one letter, short cycles and runs', () => {
    for (const bad of [
      'aaaaaaaaaaaa',
      'abababababab',
      'abcabcabcabc',
      'abcdefghijklm',
      'zyxwvutsrqpo',
    ]) {
      expect(passwordProblem(bad, null), bad).toMatch(/repeated or sequential/);
    }
    expect(passwordProblem('890123456789', null)).toMatch(/repeated or sequential/);
    // A sweep along the keyboard, with digits after it or not.
    expect(passwordProblem('qwertyuiopasdf', null)).toMatch(/repeated or sequential/);
    expect(passwordProblem('lkjhgfdsapoiu2024', null)).toMatch(/repeated or sequential/);
  });

  it('refuses common and breached passwords, also with digits or symbols added', () => {
    for (const bad of ['PASSWORD1234', 'Sunshine2024!', 'football123456', 'iloveyou!!!!']) {
      expect(passwordProblem(bad, null), bad).toMatch(/common and breached/);
    }
  });

  it('refuses a password built on the username or the system name, and overlong ones', () => {
    expect(passwordProblem('jdoe is my name ok', 'jdoe')).toMatch(/username/);
    expect(passwordProblem('WatchFloor rocks 1', null)).toMatch(/name of this system/);
    expect(passwordProblem('a'.repeat(100) + 'b'.repeat(157), null)).toMatch(/at most 256/);
  });
});
