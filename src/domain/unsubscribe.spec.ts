import { unsubscribeAskPage, unsubscribedPage, unsubscribeFooter } from './unsubscribe';

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

describe(unsubscribeAskPage.name, () => {
  it('asks in the company locale, names both parties escaped, and offers one button that posts the one-click form', () => {
    const en = unsubscribeAskPage({ companyName: 'A&B', customerName: '<Globex>', locale: 'en-US' });
    expect(en).toContain('Stop the payment reminders that A&amp;B sends to &lt;Globex&gt;?');
    expect(en).toContain('<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>');
    expect(en).not.toContain('will no longer receive');
    const fr = unsubscribeAskPage({ companyName: 'A', customerName: 'B', locale: 'fr-CA' });
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain('<button type="submit">Se désabonner</button>');
  });
});
