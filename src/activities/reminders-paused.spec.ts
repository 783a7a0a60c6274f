import { remindersPaused } from './delivery.activities';

describe(remindersPaused.name, () => {
  const paused = (until: string | null) => ({ remindersPausedAt: '2026-11-20 10:00:00+00', remindersPausedUntil: until });

  it('is paused from the pause until the day before `until`, and for good without one', () => {
    expect(remindersPaused(paused('2026-12-03'), '2026-12-02')).toBe(true);
    expect(remindersPaused(paused(null), '2030-01-01')).toBe(true);
  });

  it('resumes by itself on the `until` day (an off-by-one here would hold a day more or a day less)', () => {
    expect(remindersPaused(paused('2026-12-02'), '2026-12-02')).toBe(false);
    expect(remindersPaused(paused('2026-12-01'), '2026-12-02')).toBe(false);
  });

  it('is not paused when never paused or resumed', () => {
    expect(remindersPaused({ remindersPausedAt: null, remindersPausedUntil: null }, '2026-12-02')).toBe(false);
    expect(remindersPaused({}, '2026-12-02')).toBe(false);
  });
});
