import {
  answerLinksFooter, canPromise, isPromiseBroken, latestPromiseDay, linkState, MAX_PROMISES, parseAnswer, promiseGraceUntil,
} from './answers';

const open = { today: '2026-12-07', promisesMade: 0, disputed: false };

describe(parseAnswer.name, () => {
  it.each([
    ['already paid with a reference, trimmed', { answer: 'already_paid', reference: '  WIRE 42 ' }, open, { answer: { kind: 'already_paid', reference: 'WIRE 42' } }],
    ['already paid without one', { answer: 'already_paid', reference: '   ' }, open, { answer: { kind: 'already_paid', reference: null } }],
    ['already paid while disputed: always heard', { answer: 'already_paid' }, { ...open, disputed: true }, { answer: { kind: 'already_paid', reference: null } }],
    ['a dispute with its reason', { answer: 'dispute', reason: ' Never delivered ' }, open, { answer: { kind: 'dispute', reason: 'Never delivered' } }],
    ['a dispute without a reason', { answer: 'dispute', reason: ' \n ' }, open, { refused: 'reason_required' }],
    ['a dispute whose reason is not text', { answer: 'dispute', reason: ['x'] }, open, { refused: 'reason_required' }],
    ['a second dispute', { answer: 'dispute', reason: 'again' }, { ...open, disputed: true }, { refused: 'disputed' }],
    ['a promise today', { answer: 'promise', payOn: '2026-12-07' }, open, { answer: { kind: 'promise', payOn: '2026-12-07' } }],
    ['a promise 60 days ahead', { answer: 'promise', payOn: '2027-02-05' }, open, { answer: { kind: 'promise', payOn: '2027-02-05' } }],
    ['a promise 61 days ahead', { answer: 'promise', payOn: '2027-02-06' }, open, { refused: 'date_too_far' }],
    ['a promise yesterday', { answer: 'promise', payOn: '2026-12-06' }, open, { refused: 'date_past' }],
    ['a promise on no real day', { answer: 'promise', payOn: '2027-02-30' }, open, { refused: 'date_required' }],
    ['a promise without a day', { answer: 'promise' }, open, { refused: 'date_required' }],
    ['a second promise', { answer: 'promise', payOn: '2026-12-20' }, { ...open, promisesMade: 1 }, { answer: { kind: 'promise', payOn: '2026-12-20' } }],
    ['a third promise', { answer: 'promise', payOn: '2026-12-20' }, { ...open, promisesMade: MAX_PROMISES }, { refused: 'too_many_promises' }],
    ['a promise while disputed', { answer: 'promise', payOn: '2026-12-20' }, { ...open, disputed: true }, { refused: 'disputed' }],
    ['no answer', {}, open, { refused: 'unknown_answer' }],
    ['an answer it does not know', { answer: 'refund' }, open, { refused: 'unknown_answer' }],
  ])('%s', (_, form, ctx, expected) => {
    expect(parseAnswer(form, ctx)).toEqual(expected);
  });

  it('keeps at most 2000 characters of a reason and 200 of a reference', () => {
    expect(parseAnswer({ answer: 'dispute', reason: 'x'.repeat(5000) }, open)).toEqual({ answer: { kind: 'dispute', reason: 'x'.repeat(2000) } });
    expect(parseAnswer({ answer: 'already_paid', reference: 'r'.repeat(500) }, open)).toEqual({ answer: { kind: 'already_paid', reference: 'r'.repeat(200) } });
  });
});

describe(canPromise.name, () => {
  it('allows two promises, none while disputed', () => {
    expect(canPromise(open)).toBe(true);
    expect(canPromise({ ...open, promisesMade: 1 })).toBe(true);
    expect(canPromise({ ...open, promisesMade: 2 })).toBe(false);
    expect(canPromise({ ...open, disputed: true })).toBe(false);
  });
});

describe(isPromiseBroken.name, () => {
  it('keeps reminders paused through the promised day plus two days of grace, across a month\'s end', () => {
    expect(promiseGraceUntil('2026-12-30')).toBe('2027-01-01');
    expect(isPromiseBroken('2026-12-30', '2026-12-30')).toBe(false);
    expect(isPromiseBroken('2026-12-30', '2027-01-01')).toBe(false);
    expect(isPromiseBroken('2026-12-30', '2027-01-02')).toBe(true);
    expect(latestPromiseDay('2026-12-07')).toBe('2027-02-05');
  });
});

describe(linkState.name, () => {
  const now = new Date('2026-12-07T12:00:00Z');
  it('is valid until it expires and while something is left to pay', () => {
    expect(linkState({ expiresAt: new Date('2026-12-08T00:00:00Z'), balance: '0.01' }, now)).toBe('valid');
    expect(linkState({ expiresAt: new Date('2026-12-07T12:00:00Z'), balance: '10.00' }, now)).toBe('expired');
    expect(linkState({ expiresAt: new Date('2027-01-01T00:00:00Z'), balance: '0.00' }, now)).toBe('paid');
    expect(linkState({ expiresAt: new Date('2026-01-01T00:00:00Z'), balance: '0' }, now)).toBe('paid');
  });
});

describe(answerLinksFooter.name, () => {
  it('gives one link for one invoice and a list for a statement, in the locale, escaped in HTML', () => {
    const one = answerLinksFooter([{ invoiceNumber: 'INV-1', url: 'https://relance.example/r/abc"<x>' }], 'en-US');
    expect(one.text).toBe('\n\nAlready paid, disputing it, or paying on a date? Answer for invoice INV-1: https://relance.example/r/abc"<x>');
    expect(one.html).toContain('href="https://relance.example/r/abc&quot;&lt;x&gt;"');
    const many = answerLinksFooter([{ invoiceNumber: 'F-1', url: 'https://r.example/r/a' }, { invoiceNumber: 'F-2', url: 'https://r.example/r/b' }], 'fr-CA');
    expect(many.text).toContain('- Répondre pour la facture F-1: https://r.example/r/a\n- Répondre pour la facture F-2: https://r.example/r/b');
    expect(many.html).toContain('<li><a href="https://r.example/r/b">Répondre pour la facture F-2</a></li>');
    expect(answerLinksFooter([], 'en-US')).toEqual({ text: '', html: '' });
  });
});
