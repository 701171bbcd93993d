import { describe, expect, it } from 'vitest';
import { markdownToHtml } from '../../emails/_components/markdown';
import { markdownToText } from '../../src/emails/plain-text';

describe('markdownToHtml keeps what an editor writes', () => {
  it('renders paragraphs, emphasis, lists, quotes and absolute links with Broadside’s styles', () => {
    const html = markdownToHtml(
      'Hello **bold** and *em*.\n\n- one\n- two\n\n> quoted\n\n[site](https://example.org/a?b=1&c=2) · [write](mailto:ed@example.org)',
    );
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>em</em>');
    expect(html).toMatch(/<li style="[^"]+">one<\/li>/);
    expect(html).toMatch(/<blockquote style="[^"]+" class="qr">/);
    expect(html).toContain('href="https://example.org/a?b=1&amp;c=2"');
    expect(html).toContain('href="mailto:ed@example.org"');
    expect(html).toMatch(/<a href="https:\/\/example.org[^"]*" style="color:#[0-9a-f]{6};text-decoration:underline"/);
  });

  it('puts an editor’s headings below the email’s own h1', () => {
    const html = markdownToHtml('# Big\n\n## Middle\n\n#### Small');
    expect(html).not.toContain('<h1');
    expect(html).toMatch(/<h2[^>]*>Big<\/h2>/);
    expect(html).toMatch(/<h2[^>]*>Middle<\/h2>/);
    expect(html).toMatch(/<h3[^>]*>Small<\/h3>/);
  });
});

describe('markdownToHtml removes what does not belong in a bulk email', () => {
  it('drops scripts with their code', () => {
    const html = markdownToHtml('Hi <script>alert("x")</script> there');
    expect(html).not.toMatch(/script|alert/);
    expect(html).toContain('Hi');
  });

  it('drops event handlers and the author’s own styles', () => {
    const html = markdownToHtml('<p onclick="steal()" style="color:red">Click</p>\n\n<a href="https://ok.example" onmouseover="x()">ok</a>');
    expect(html).not.toMatch(/onclick|onmouseover|steal|color:red/);
    expect(html).toContain('Click');
    expect(html).toContain('href="https://ok.example"');
  });

  it('turns javascript:, data: and relative links into plain words', () => {
    const html = markdownToHtml(
      '[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](data:text/html;base64,PHNjcmlwdD4=) [d](/about) <a href="java&#x09;script:x()">e</a>',
    );
    expect(html).not.toMatch(/href|javascript|data:/i);
    for (const word of ['a', 'b', 'c', 'd', 'e']) expect(html).toContain(`<span>${word}</span>`);
  });

  it('drops images entirely, tracking pixels and Markdown images alike', () => {
    const html = markdownToHtml(
      'Before\n\n![chart](https://cdn.example/chart.png)\n\n<img src="https://t.example/open.gif?u=1" width="1" height="1">\n\n<img src=x onerror="alert(1)">\n\nAfter',
    );
    expect(html).not.toMatch(/<img|open\.gif|chart\.png|onerror/);
    expect(html).toContain('Before');
    expect(html).toContain('After');
    expect(html).not.toMatch(/<p[^>]*>\s*<\/p>/);
  });

  it('drops iframes, forms, styles, SVG and objects with their contents', () => {
    const html = markdownToHtml(
      [
        '<iframe src="https://evil.example">frame text</iframe>',
        '<form action="https://evil.example"><input name="card"><button>Pay</button></form>',
        '<style>body{display:none}</style>',
        '<svg onload="alert(1)"><text>svg text</text></svg>',
        '<object data="x.swf">object text</object>',
        'Kept.',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(/iframe|frame text|<form|<input|Pay|<style|display:none|svg|object/i);
    expect(html).toContain('Kept.');
  });
});

describe('markdownToText', () => {
  it('keeps heading levels, shows links as URLs and leaves images out', () => {
    const text = markdownToText(
      '# Title\n\n### Sub\n\nRead [the report](https://example.org/report).\n\n![pixel](https://t.example/p.gif)',
    );
    expect(text).toBe('## Title\n\n### Sub\n\nRead the report https://example.org/report.\n');
  });
});
