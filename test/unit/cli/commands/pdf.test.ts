import { CHROMIUM_CANDIDATES, findChromium } from '../../../../functions/cli/commands/pdf';

describe('the browser that prints the PDF', () => {
  it('is the first Chromium found, or the one CHROMIUM_PATH names', () => {
    // Act / Assess
    expect(findChromium({}, (p) => p === '/usr/bin/google-chrome')).toBe('/usr/bin/google-chrome');
    expect(findChromium({ CHROMIUM_PATH: '/custom/chrome' }, (p) => p === '/custom/chrome')).toBe(
      '/custom/chrome',
    );
  });

  it('missing: one clear line saying where it looked and what to do', () => {
    // Act
    const find = () => findChromium({}, () => false);

    // Assess
    expect(find).toThrow(
      `--format pdf needs Chromium and none was found (looked for ${CHROMIUM_CANDIDATES.join(', ')}): install it (e.g. apt-get install chromium) or set CHROMIUM_PATH`,
    );
    expect(() => findChromium({ CHROMIUM_PATH: '/nope' }, () => false)).toThrow(
      '--format pdf: CHROMIUM_PATH=/nope does not exist; point it at a Chromium or Chrome executable',
    );
  });
});
