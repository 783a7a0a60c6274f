import { unsubscribedPage, unsubscribeFooter } from './unsubscribe';

describe(unsubscribeFooter.name, () => {
  it('ends a reminder with its link, in the company locale, escaped in HTML', () => {
    const link = 'https://relance.example/unsubscribe/abc"<x>';
    expect(unsubscribeFooter(link, 'en-US').text).toBe(`\n\n--\nTo stop receiving these reminders: ${link}`);
    expect(unsubscribeFooter(link, 'fr-CA').text).toContain('Pour ne plus recevoir ces rappels');
    expect(unsubscribeFooter(link, 'en-US').html).toContain('href="https://relance.example/unsubscribe/abc&quot;&lt;x&gt;"');
  });
});

describe(unsubscribedPage.name, () => {
  it('confirms in the company locale, escapes names, and says when a link is not valid', () => {
    expect(unsubscribedPage({ companyName: 'A&B', customerName: '<Globex>', locale: 'en-US' })).toContain('&lt;Globex&gt; will no longer receive payment reminders from A&amp;B');
    expect(unsubscribedPage({ companyName: 'A', customerName: 'B', locale: 'fr-CA' })).toContain('Désabonnement confirmé');
    expect(unsubscribedPage(null)).toContain('not valid');
  });
});
