import { nextOpening, SendWindowError, validateSendWindow, zonedInstant } from './send-window';

const weekdays = validateSendWindow({ from: '08:00', to: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] });

describe(nextOpening.name, () => {
  it('lets a delivery inside the window go at once', () => {
    const at = new Date('2026-12-07T15:00:00Z'); // Monday 10:00 in Toronto
    expect(nextOpening(weekdays, 'America/Toronto', at)).toEqual(at);
    expect(nextOpening(null, 'America/Toronto', at)).toEqual(at);
  });

  it('holds a Monday 07:00 delivery until 08:00 the same day, in the customer timezone', () => {
    expect(nextOpening(weekdays, 'America/Toronto', new Date('2026-12-07T12:00:00Z')).toISOString()).toBe('2026-12-07T13:00:00.000Z');
    expect(nextOpening(weekdays, 'Europe/Paris', new Date('2026-12-07T06:00:00Z')).toISOString()).toBe('2026-12-07T07:00:00.000Z');
  });

  it('holds a Saturday delivery, and a Friday evening one, until Monday 08:00', () => {
    expect(nextOpening(weekdays, 'America/Toronto', new Date('2026-12-05T15:00:00Z')).toISOString()).toBe('2026-12-07T13:00:00.000Z');
    expect(nextOpening(weekdays, 'America/Toronto', new Date('2026-12-04T23:00:00Z')).toISOString()).toBe('2026-12-07T13:00:00.000Z'); // Fri 18:00
    expect(nextOpening(weekdays, 'America/Toronto', new Date('2026-12-04T22:59:59Z')).toISOString()).toBe('2026-12-04T22:59:59.000Z');
  });

  it('opens at local 08:00 on both sides of a DST change', () => {
    // Toronto falls back on Sunday 2026-11-01: Monday 08:00 is 13:00Z, the Friday before 12:00Z.
    expect(nextOpening(weekdays, 'America/Toronto', new Date('2026-10-31T12:00:00Z')).toISOString()).toBe('2026-11-02T13:00:00.000Z');
    expect(nextOpening(weekdays, 'America/Toronto', new Date('2026-10-30T11:00:00Z')).toISOString()).toBe('2026-10-30T12:00:00.000Z');
    expect(zonedInstant('2026-03-08', '02:30', 'America/Toronto').toISOString()).toBe('2026-03-08T07:30:00.000Z'); // skipped hour moves on
  });

  it('counts the days of UTC+14 and UTC−11 customers in their own zone', () => {
    // 2026-12-05T20:00Z is Sunday 10:00 in Kiritimati (closed) and Saturday 09:00 in Pago Pago (closed).
    expect(nextOpening(weekdays, 'Pacific/Kiritimati', new Date('2026-12-05T20:00:00Z')).toISOString()).toBe('2026-12-06T18:00:00.000Z');
    expect(nextOpening(weekdays, 'Pacific/Pago_Pago', new Date('2026-12-05T20:00:00Z')).toISOString()).toBe('2026-12-07T19:00:00.000Z');
  });
});

describe(validateSendWindow.name, () => {
  it.each([
    [{ from: '8:00', to: '18:00', days: ['mon'] }, 'sendWindow.from must be HH:MM'],
    [{ from: '18:00', to: '08:00', days: ['mon'] }, 'sendWindow.to (08:00) must be after sendWindow.from (18:00)'],
    [{ from: '08:00', to: '18:00', days: [] }, 'sendWindow.days must be a non-empty list'],
    [{ from: '08:00', to: '18:00', days: ['monday'] }, 'sendWindow.days[0]: "monday" is not one of'],
    [{ from: '08:00', to: '18:00', days: ['mon'], tz: 'UTC' }, 'unexpected property "tz"'],
  ])('refuses %j', (value, message) => {
    expect(() => validateSendWindow(value)).toThrow(SendWindowError);
    expect(() => validateSendWindow(value)).toThrow(message);
  });

  it('orders the days and drops repeats', () => {
    expect(validateSendWindow({ from: '08:00', to: '18:00', days: ['fri', 'mon', 'fri'] }).days).toEqual(['mon', 'fri']);
  });
});
