// A cache's doorkeeper: a key is admitted from its second request within the window, never on its first.
import { describe, expect, it } from 'vitest';
import { Doorkeeper } from '../../server/lib/doorkeeper.ts';

describe('Doorkeeper', () => {
  it('admits a key asked again within the window, not on its first ask nor after the window', () => {
    let now = 1_000;
    const door = new Doorkeeper<number>(60_000, 100, () => now);
    expect(door.admit(7)).toBe(false);
    now += 59_999;
    expect(door.admit(7)).toBe(true);
    expect(door.admit(8)).toBe(false);
    // Each ask restarts the key's window: asked a minute after its last ask is a first ask again.
    now += 60_000;
    expect(door.admit(7)).toBe(false);
    expect(door.admit(7)).toBe(true);
  });

  it('remembers a bounded number of keys, forgetting the least recently asked', () => {
    const door = new Doorkeeper<number>(60_000, 3, () => 0);
    for (const k of [1, 2, 3]) door.admit(k);
    expect(door.admit(1)).toBe(true); // 1 is now the most recent; 2 the least
    door.admit(4); // pushes 2 out
    expect(door.admit(2)).toBe(false);
    expect(door.admit(1)).toBe(true);
  });
});
