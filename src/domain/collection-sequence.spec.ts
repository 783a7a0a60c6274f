import {
  CATCH_UP_POLICIES, type CatchUp, dueDatesWithStepToday, latestDueDateReached, selectStep, stepDay, stepOccurrence, stepsChangeProblem,
} from './collection-sequence';
import { addDays, todayIn } from './dates';

const THREE = { steps: [{ offsetDays: -3 }, { offsetDays: 1 }, { offsetDays: 7 }] };
const seq = (catchUp: CatchUp, steps = THREE.steps) => ({ steps, catchUp });

/** An independent model: the day of each step, compared as dates, never as day counts. */
function model(steps: { offsetDays: number }[], catchUp: CatchUp, dueDate: string, today: string, lastStep: number): number | null {
  const days = steps.map((s) => addDays(dueDate, s.offsetDays));
  const passed = days.map((d, i) => ({ d, i })).filter(({ d, i }) => d <= today && i > lastStep);
  if (passed.length === 0) return null;
  if (catchUp === 'all') return passed[0].i;
  if (catchUp === 'latest') return passed[passed.length - 1].i;
  const onToday = passed.find(({ d }) => d === today);
  return onToday && onToday.i === Math.max(...days.map((d, i) => (d <= today ? i : -1))) ? onToday.i : null;
}

describe(selectStep.name, () => {
  const due = '2026-12-10';

  it('sends each step of a sequence on exactly its day when the sweep runs daily (none)', () => {
    const sent: Array<[string, number]> = [];
    let last = -1;
    for (let day = addDays(due, -10); day <= addDays(due, 20); day = addDays(day, 1)) {
      const step = selectStep(seq('none'), { dueDate: due, today: day, lastStep: last });
      if (step !== null) {
        sent.push([day, step]);
        last = step;
      }
    }
    expect(sent).toEqual([['2026-12-07', 0], ['2026-12-11', 1], ['2026-12-17', 2]]);
  });

  it('is off by no day: the day before a step sends nothing, the day itself sends it, for every policy', () => {
    for (const catchUp of CATCH_UP_POLICIES) {
      expect(selectStep(seq(catchUp), { dueDate: due, today: '2026-12-06', lastStep: -1 })).toBeNull();
      expect(selectStep(seq(catchUp), { dueDate: due, today: '2026-12-07', lastStep: -1 })).toBe(0);
      expect(selectStep(seq(catchUp), { dueDate: due, today: '2026-12-10', lastStep: 0 })).toBeNull();
      expect(selectStep(seq(catchUp), { dueDate: due, today: '2026-12-11', lastStep: 0 })).toBe(1);
      expect(selectStep(seq(catchUp), { dueDate: due, today: '2026-12-16', lastStep: 1 })).toBeNull();
      expect(selectStep(seq(catchUp), { dueDate: due, today: '2026-12-17', lastStep: 1 })).toBe(2);
    }
  });

  it('catches up an invoice whose step days passed before the sequence began, as its policy says', () => {
    const late = { dueDate: due, today: '2026-12-20', lastStep: -1 };
    expect(selectStep(seq('latest'), late)).toBe(2);
    expect(selectStep(seq('none'), late)).toBeNull();
    expect(selectStep(seq('all'), late)).toBe(0);
    // `all` then goes on in order, one step a day.
    expect(selectStep(seq('all'), { ...late, today: '2026-12-21', lastStep: 0 })).toBe(1);
    expect(selectStep(seq('all'), { ...late, today: '2026-12-22', lastStep: 1 })).toBe(2);
    expect(selectStep(seq('all'), { ...late, today: '2026-12-23', lastStep: 2 })).toBeNull();
    // `latest` sends the latest once, and nothing after it.
    expect(selectStep(seq('latest'), { ...late, today: '2027-03-01', lastStep: 2 })).toBeNull();
  });

  it('never goes back: a step sent is never followed by an earlier one', () => {
    for (const catchUp of CATCH_UP_POLICIES) {
      for (let last = 0; last < 3; last += 1) {
        for (let d = -20; d <= 40; d += 1) {
          const step = selectStep(seq(catchUp), { dueDate: due, today: addDays(due, d), lastStep: last });
          if (step !== null) expect(step).toBeGreaterThan(last);
        }
      }
    }
  });

  it('agrees with an independent model over many invoices × days × policies × progress', () => {
    const sequences = [THREE.steps, [{ offsetDays: 0 }], [{ offsetDays: -30 }, { offsetDays: -1 }, { offsetDays: 0 }, { offsetDays: 30 }, { offsetDays: 365 }]];
    let checked = 0;
    for (const steps of sequences) {
      for (const catchUp of CATCH_UP_POLICIES) {
        for (let i = 0; i < 60; i += 1) {
          const dueDate = addDays('2028-02-01', i * 7 - 200); // crosses year ends and the leap day of 2028
          for (let d = -40; d <= 400; d += 13) {
            for (let last = -1; last < steps.length; last += 1) {
              const today = addDays(dueDate, d);
              expect([catchUp, dueDate, today, last, selectStep(seq(catchUp, steps), { dueDate, today, lastStep: last })])
                .toEqual([catchUp, dueDate, today, last, model(steps, catchUp, dueDate, today, last)]);
              checked += 1;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50_000);
  });

  it('delivers every step at most once and in order over a simulated season, whatever the policy and start', () => {
    for (const catchUp of CATCH_UP_POLICIES) {
      for (let start = -15; start <= 15; start += 1) {
        let last = -1;
        const sent: number[] = [];
        for (let d = start; d <= 30; d += 1) {
          const step = selectStep(seq(catchUp), { dueDate: due, today: addDays(due, d), lastStep: last });
          if (step !== null) {
            sent.push(step);
            last = step;
          }
        }
        expect(new Set(sent).size).toBe(sent.length);
        expect([...sent].sort()).toEqual(sent);
        if (catchUp === 'all') expect(sent).toEqual([0, 1, 2]);
        if (catchUp === 'latest') expect(sent[sent.length - 1]).toBe(2);
        if (start <= -3) expect(sent).toEqual([0, 1, 2]);
      }
    }
  });
});

describe('step days in the company timezone', () => {
  // The sweep computes today with todayIn(company timezone, the firing's instant); a step is due on its local day.
  const steps = seq('none');
  const at = (iso: string, timezone: string, dueDate: string) =>
    selectStep(steps, { dueDate, today: todayIn(timezone, new Date(iso)), lastStep: -1 });

  it('in UTC+14, a step falls due at local midnight, ten hours before the UTC day begins', () => {
    // 2026-12-06T09:59Z is 23:59 on Dec 6 in Kiritimati; 10:00Z is 00:00 on Dec 7, the day of step 1 of an invoice due Dec 10.
    expect(at('2026-12-06T09:59:59Z', 'Pacific/Kiritimati', '2026-12-10')).toBeNull();
    expect(at('2026-12-06T10:00:00Z', 'Pacific/Kiritimati', '2026-12-10')).toBe(0);
    expect(at('2026-12-06T10:00:00Z', 'UTC', '2026-12-10')).toBeNull();
  });

  it('in UTC−11, a step falls due eleven hours after the UTC day begins', () => {
    expect(at('2026-12-07T10:59:59Z', 'Pacific/Pago_Pago', '2026-12-10')).toBeNull();
    expect(at('2026-12-07T11:00:00Z', 'Pacific/Pago_Pago', '2026-12-10')).toBe(0);
    expect(at('2026-12-07T11:00:00Z', 'UTC', '2026-12-10')).toBe(0);
    expect(at('2026-12-08T10:59:59Z', 'Pacific/Pago_Pago', '2026-12-10')).toBe(0);
  });

  it('counts whole local days across DST changes (spring forward and fall back)', () => {
    // Toronto springs forward on 2026-03-08 and falls back on 2026-11-01: a 23-hour and a 25-hour day.
    expect(at('2026-03-08T04:59:59Z', 'America/Toronto', '2026-03-11')).toBeNull(); // 23:59:59 on Mar 7, EST
    expect(at('2026-03-08T05:00:00Z', 'America/Toronto', '2026-03-11')).toBe(0); // 00:00 on Mar 8
    expect(at('2026-03-09T03:59:59Z', 'America/Toronto', '2026-03-11')).toBe(0); // 23:59:59 on Mar 8, EDT
    expect(at('2026-11-01T03:59:59Z', 'America/Toronto', '2026-11-04')).toBeNull(); // 23:59:59 on Oct 31, EDT
    expect(at('2026-11-01T04:00:00Z', 'America/Toronto', '2026-11-04')).toBe(0);
    expect(at('2026-11-02T04:59:59Z', 'America/Toronto', '2026-11-04')).toBe(0); // 23:59:59 on Nov 1, EST
    // Paris: spring forward on 2026-03-29.
    expect(at('2026-03-28T22:59:59Z', 'Europe/Paris', '2026-04-01')).toBeNull();
    expect(at('2026-03-28T23:00:00Z', 'Europe/Paris', '2026-04-01')).toBe(0);
  });

  it('gives each of many invoices the step of its local day in every zone, hour by hour', () => {
    const zones = ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Toronto', 'Europe/Paris', 'Asia/Kolkata', 'UTC'];
    for (const timezone of zones) {
      for (let h = 0; h < 24 * 20; h += 5) {
        const instant = new Date(Date.parse('2026-10-25T00:00:00Z') + h * 3_600_000);
        const today = todayIn(timezone, instant);
        for (let i = -12; i <= 12; i += 1) {
          const dueDate = addDays('2026-11-01', i);
          const step = selectStep(steps, { dueDate, today, lastStep: -1 });
          const expected = THREE.steps.findIndex((s) => stepDay(s, dueDate) === today);
          expect([timezone, instant.toISOString(), dueDate, step]).toEqual([timezone, instant.toISOString(), dueDate, expected === -1 ? null : expected]);
        }
      }
    }
  });
});

describe('what the SQL pushdown reads', () => {
  it('names the due dates that have a step today, and the latest due date past a first step', () => {
    expect(dueDatesWithStepToday(THREE, '2026-12-10')).toEqual(['2026-12-13', '2026-12-09', '2026-12-03']);
    expect(latestDueDateReached(THREE, '2026-12-10')).toBe('2026-12-13');
    expect(stepOccurrence(0)).toBe('step-1');
  });
});

describe(stepsChangeProblem.name, () => {
  const days = (...offsets: number[]) => offsets.map((offsetDays) => ({ offsetDays }));
  const before = days(-3, 1, 7);

  it('lets anything change while no invoice reached a step', () => {
    expect(stepsChangeProblem(before, days(5), -1)).toBeNull();
  });

  it('keeps the steps already reached in their place and day, and lets the rest change', () => {
    expect(stepsChangeProblem(before, days(-3, 1, 10, 30), 1)).toBeNull(); // step 3 moved, step 4 added
    expect(stepsChangeProblem(before, days(-3, 1), 1)).toBeNull(); // step 3 removed
    expect(stepsChangeProblem(before, days(-3, 1, 7), 2)).toBeNull(); // texts only
  });

  it('refuses to move, insert before or remove a step that went out, naming it', () => {
    expect(stepsChangeProblem(before, days(-3, 2, 7), 1)).toMatch(/^step 2 \(offsetDays 1\) has gone out/);
    expect(stepsChangeProblem(before, days(-5, -3, 1, 7), 0)).toMatch(/^step 1 /); // inserted before step 1
    expect(stepsChangeProblem(before, days(-3, 1), 2)).toMatch(/^step 3 /); // the reached step 3 removed
    expect(stepsChangeProblem(before, days(-3), 1)).toMatch(/steps 1 to 2 keep their order/);
  });
});
