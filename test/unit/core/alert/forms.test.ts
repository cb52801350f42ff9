import { chatLink, chatLiteral, chatText, clip, safeLine } from '../../../../functions/core/alert/forms';

describe('per-form escapes', () => {
  it('make one printable line of anything', () => {
    // Act
    const line = safeLine('a\u0000b\r\nc\u2028d\u202ee\u200bf   g', 100);
    // Assess
    expect(line).toBe('a b c d e f g');
  });

  it('clip by characters, not by UTF-16 units, with an ellipsis', () => {
    // Act
    const clipped = clip('😀😀😀😀', 3);
    const kept = clip('abc', 3);
    // Assess
    expect(clipped).toBe('😀😀…');
    expect(kept).toBe('abc');
  });

  it('show a chat literal as one code span that nothing can close or turn into a mention', () => {
    // Act
    const literal = chatLiteral('`x` <!here> & <@U1>');
    const empty = chatLiteral('');
    // Assess
    expect(literal).toBe('`ʼxʼ ‹!here› ＆ ‹@U1›`');
    expect(empty).toBe('`-`');
  });

  it('make formatting and URLs in chat text inert', () => {
    // Act
    const text = chatText('*a* _b_ ~c~ [d](https://e.example) #f |g| \\h');
    // Assess
    expect(text).toBe('＊a＊ ＿b＿ ～c～ ［d］(https［:］//e［.］example) ＃f ｜g｜ ＼h');
  });

  // Issue 19, finding 11: a bare domain in a tag value reached the chat title as plain text.
  it.each([
    ['see evil.example.com/login to approve', 'see evil［.］example［.］com/login to approve'],
    ['mail ops@corp.example.org', 'mail ops@corp［.］example［.］org'],
    ['ＵＲＬ login.xn--80ak6aa92e.com', 'ＵＲＬ login［.］xn--80ak6aa92e［.］com'],
  ])('defangs the host-like run in %j', (value, expected) => {
    // Act
    const text = chatText(value);
    // Assess
    expect(text).toBe(expected);
  });

  it.each(['e.g. a version v1.29', 'the address 10.0.0.1', 'the end.'])('leaves %j as it is', (value) => {
    // Act
    const text = chatText(value);
    // Assess
    expect(text).toBe(value);
  });

  it('link only with the label escaped and the URL without a closing parenthesis', () => {
    // Act
    const link = chatLink('EKS *console*', 'https://x.example/a(b) c');
    // Assess
    expect(link).toBe('[EKS ＊console＊](https://x.example/a%28b%29%20c)');
  });
});
