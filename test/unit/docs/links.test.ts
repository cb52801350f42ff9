import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

/**
 * Every relative link in the repository's Markdown resolves: to a file or folder inside the
 * repository, and with a `#anchor` into a Markdown file, to a heading of that file (as GitHub
 * names it) or an HTML anchor. Links inside code are not links; absolute URLs are not checked.
 */

const ROOT = resolve(__dirname, '..', '..', '..');

interface Link {
  line: number;
  target: string;
}

/** Tracked Markdown files and new ones not yet added; git's ignore rules keep build output out. */
function markdownFiles(root: string): string[] {
  const listed = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '*.md'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return listed
    .split('\0')
    .filter((file) => file !== '' && !file.split('/').includes('node_modules'))
    .filter((file) => existsSync(join(root, file)));
}

/** Each line with its fenced-code state: a fence opens with ``` or ~~~ and closes with at least as many. */
function proseLines(text: string): { line: number; text: string }[] {
  const lines: { line: number; text: string }[] = [];
  let fence: { char: string; length: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const marker = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(raw);
    if (marker) {
      const run = marker[1] as string;
      if (!fence) fence = { char: run.charAt(0), length: run.length };
      else if (run.charAt(0) === fence.char && run.length >= fence.length && (marker[2] ?? '').trim() === '')
        fence = undefined;
      return;
    }
    if (!fence) lines.push({ line: index + 1, text: raw });
  });
  return lines;
}

const withoutCodeSpans = (line: string) => line.replace(/(`+)(.+?)\1/g, '');

/** Inline links and images `[text](target "title")` and reference definitions `[id]: target`. */
function linksOf(text: string): Link[] {
  const links: Link[] = [];
  for (const { line, text: raw } of proseLines(text)) {
    const prose = withoutCodeSpans(raw);
    for (const match of prose.matchAll(/\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ line, target: match[1] as string });
    }
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(prose);
    if (definition) links.push({ line, target: definition[1] as string });
  }
  return links;
}

/** GitHub's anchor for a heading: lower case, punctuation and symbols dropped, spaces to hyphens. */
function slugOf(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*~]/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown file offers: its headings (repeats numbered -1, -2, …) and HTML ids. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const add = (heading: string) => {
    const slug = slugOf(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  };
  const lines = proseLines(text);
  lines.forEach(({ line, text: raw }, index) => {
    const atx = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(raw);
    if (atx) add(atx[1] as string);
    const previous = lines[index - 1];
    const setext = /^ {0,3}(=+|-+)\s*$/.test(raw);
    if (setext && previous && previous.line === line - 1 && /^ {0,3}[^\s#>|*+-]/.test(previous.text)) {
      add(previous.text);
    }
    for (const html of raw.matchAll(/<a\s[^>]*?(?:name|id)\s*=\s*"([^"]+)"/g)) anchors.add(html[1] as string);
  });
  return anchors;
}

/** One line per link that does not resolve: `FILE:LINE: target: what is wrong`. */
function brokenLinks(root: string, files: string[]): string[] {
  const problems: string[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsIn = (path: string) => {
    let anchors = anchorCache.get(path);
    if (!anchors) {
      anchors = anchorsOf(readFileSync(path, 'utf8'));
      anchorCache.set(path, anchors);
    }
    return anchors;
  };
  for (const file of files) {
    const source = join(root, file);
    for (const { line, target } of linksOf(readFileSync(source, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      const say = (fault: string) => problems.push(`${file}:${line}: ${target}: ${fault}`);
      const hash = target.indexOf('#');
      const pathPart = (hash >= 0 ? target.slice(0, hash) : target).split('?')[0] as string;
      const anchor = hash >= 0 ? target.slice(hash + 1) : undefined;
      let path: string;
      try {
        const decoded = decodeURIComponent(pathPart);
        // GitHub resolves `/path` from the repository's root, anything else from the linking file.
        if (decoded === '') path = source;
        else path = decoded.startsWith('/') ? join(root, decoded) : resolve(dirname(source), decoded);
      } catch {
        say('not a valid URL path');
        continue;
      }
      const inside = relative(root, path);
      if (inside.startsWith('..') || isAbsolute(inside)) {
        say('points outside the repository');
        continue;
      }
      if (!existsSync(path)) {
        say(`${inside} does not exist`);
        continue;
      }
      if (anchor === undefined || anchor === '' || !path.endsWith('.md') || statSync(path).isDirectory())
        continue;
      if (!anchorsIn(path).has(decodeURIComponent(anchor)))
        say(`no heading or anchor "${anchor}" in ${inside}`);
    }
  }
  return problems;
}

describe('Markdown links', () => {
  test('every relative link in the repository resolves, anchors included', () => {
    // Prepare
    const files = markdownFiles(ROOT);

    // Act
    const problems = brokenLinks(ROOT, files);

    // Assess
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/policy.md']));
    expect(problems).toEqual([]);
  });

  describe('the checker', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'markdown-links-'));
      mkdirSync(join(root, 'docs'));
      writeFileSync(join(root, 'docs', 'page.md'), '# A page\n\n## The `alert@2` JSON\n\nText.\n');
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    test('reports a missing file, a missing anchor and a link out of the repository, and nothing else', () => {
      // Prepare
      const readme = [
        '# Title',
        '',
        'Good: [page](docs/page.md), [json](docs/page.md#the-alert2-json), [folder](docs/), [self](#title).',
        'Absolute: [site](https://example.com/missing.md), [mail](mailto:someone@example.com).',
        'Bad file: [gone](docs/gone.md).',
        'Bad anchor: [anchor](docs/page.md#no-such-heading).',
        'Bad self: [self](#nowhere).',
        'Outside: [up](../elsewhere.md).',
        'In code: `[not a link](docs/missing.md)`.',
        '```',
        '[not a link either](docs/missing.md)',
        '```',
        '[ref]: docs/also-gone.md',
      ].join('\n');
      writeFileSync(join(root, 'README.md'), readme);

      // Act
      const problems = brokenLinks(root, ['README.md', 'docs/page.md']);

      // Assess
      expect(problems).toEqual([
        'README.md:5: docs/gone.md: docs/gone.md does not exist',
        'README.md:6: docs/page.md#no-such-heading: no heading or anchor "no-such-heading" in docs/page.md',
        'README.md:7: #nowhere: no heading or anchor "nowhere" in README.md',
        'README.md:8: ../elsewhere.md: points outside the repository',
        'README.md:13: docs/also-gone.md: docs/also-gone.md does not exist',
      ]);
    });
  });

  test('names headings as GitHub does', () => {
    // Prepare
    const text = [
      '# Failure → what the guard does',
      '## The `alert@2` JSON',
      '## Cost',
      '## Cost',
      '```',
      '# not a heading',
      '```',
      'Setext heading',
      '--------------',
      '<a id="custom-anchor"></a>',
    ].join('\n');

    // Act
    const anchors = [...anchorsOf(text)];

    // Assess
    expect(anchors).toEqual([
      'failure--what-the-guard-does',
      'the-alert2-json',
      'cost',
      'cost-1',
      'setext-heading',
      'custom-anchor',
    ]);
  });
});
