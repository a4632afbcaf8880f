// tests/browser/checks.mjs URL OUTDIR: the real-browser checks of fascia's
// pages, printed as TAP on stdout (see README.md).  Called by run.sh, which
// installs the npm packages first.  Exits 0 whatever the checks found; 2 when
// it could not run at all.
//
//   vnu         Nu Html Checker: zero errors and zero warnings on every page
//   axe         axe-core in Chromium at 390x844 and 1280x800: zero violations
//   layout      at 390 px wide no page scrolls sideways
//   flow        the comment form in Chromium: post, moderation notice, approve
//               with the CLI, reply, the error state, an XSS probe
//   lighthouse  mobile: accessibility, best-practices and SEO all 100
//
// The sections run side by side (the comment flow mostly waits: the form's
// minimum fill time and the 15 s flood interval between two comments from
// one address) and are printed in that order.

import { chromium } from 'playwright-core';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const START = Date.now();
const DEADLINE = START + 1000 * Number(process.env.BROWSER_TIME_LIMIT || 200);

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROME_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu',
	'--disable-quic', '--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync',
	'--disable-dev-shm-usage'];
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const POST_SLUG = 'myofascial-release-massage';
const THREAD_SLUG = 'what-to-expect-at-your-first-visit';
const FLOOD_MS = 1000 * Number(process.env.BROWSER_FLOOD_INTERVAL || 15) + 700;
const FILL_MS = 1000 * Number(process.env.BROWSER_MIN_FILL_TIME || 3) + 600;
const NOTE = 'Your email address will not be published. Required fields are marked *';
const PENDING = 'Your comment is awaiting moderation.';

if (process.argv.length < 4) {
	console.log('Bail out! usage: checks.mjs URL OUTDIR');
	process.exit(2);
}
const BASE = process.argv[2].replace(/\/+$/, '');
const OUT = path.resolve(process.argv[3]);
const ORIGIN = new URL(BASE).origin;
for (const d of ['html', 'axe', 'screenshots', 'lighthouse'])
	fs.mkdirSync(path.join(OUT, d), { recursive: true });

// ---------------------------------------------------------------- helpers

const sleep = ms => new Promise(r => setTimeout(r, ms));
const oneLine = s => String(s).replace(/\s+/g, ' ').trim();
const clip = (s, n = 300) => { s = oneLine(s); return s.length > n ? s.slice(0, n) + '...' : s; };
const elapsed = () => ((Date.now() - START) / 1000).toFixed(1) + 's';

// A section is a list of results: { ok, name, diag: [lines] }.
function result(ok, name, diag = []) {
	return { ok: !!ok, name, diag: [].concat(diag).filter(x => x !== undefined && x !== '') };
}

let testNo = 0, failed = 0;
const finished = {};
function emit(r) {
	testNo++;
	if (!r.ok) failed++;
	const lines = [`${r.ok ? 'ok' : 'not ok'} ${testNo} - ${oneLine(r.name)}`];
	for (const d of r.diag)
		for (const l of String(d).split('\n'))
			lines.push('# ' + (r.ok ? '' : '  ') + l);
	process.stdout.write(lines.join('\n') + '\n');
}

// Runs fn (which returns a list of results) with the global deadline; a
// section that throws or does not finish becomes one "not ok".
async function section(name, fn) {
	let timer;
	const limit = new Promise(resolve => {
		timer = setTimeout(() => resolve([result(false,
		    `${name}: did not finish within the time limit`,
		    `stopped at ${elapsed()}`)]), Math.max(0, DEADLINE - Date.now()));
	});
	try {
		return await Promise.race([fn().catch(e => [result(false,
		    `${name}: could not run`, clip(e && e.stack || e, 1500))]), limit]);
	} finally {
		clearTimeout(timer);
		finished[name] = elapsed();
	}
}

async function http(url, opts = {}) {
	const ctl = new AbortController();
	const t = setTimeout(() => ctl.abort(), opts.timeout || 20000);
	try {
		const res = await fetch(url, { redirect: 'manual', ...opts, signal: ctl.signal });
		return { status: res.status, headers: res.headers, body: await res.text() };
	} finally {
		clearTimeout(t);
	}
}

function run(cmd, args, opts = {}) {
	return new Promise(resolve => {
		execFile(cmd, args, { timeout: 60000, maxBuffer: 64 << 20, ...opts },
		    (err, stdout, stderr) => resolve({
			code: err ? (typeof err.code === 'number' ? err.code : -1) : 0,
			err, stdout: String(stdout), stderr: String(stderr) }));
	});
}

function fileName(name) {
	return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

// ----------------------------------------------------------- the fascia CLI

// The CLI of the stack under test: FASCIA_BIN (default build/fascia) with
// FASCIA_CONFIG, or else the config `tools/stack.sh test info` names.
let cliConf = null;
async function cli(args) {
	const bin = process.env.FASCIA_BIN || path.join(ROOT, 'build', 'fascia');
	if (cliConf === null) {
		cliConf = process.env.FASCIA_CONFIG || '';
		if (!cliConf) {
			const info = await run(path.join(ROOT, 'tools', 'stack.sh'), ['test', 'info'], { cwd: ROOT });
			const m = /^conf=(.*)$/m.exec(info.stdout);
			const u = /^url=(.*)$/m.exec(info.stdout);
			if (m) cliConf = m[1];
			if (u && u[1].replace(/\/+$/, '') !== BASE)
				cliWarning = `tools/stack.sh test info serves ${u[1]}, not ${BASE}: set FASCIA_CONFIG`;
		}
	}
	if (!cliConf)
		return { code: -1, stdout: '', stderr: 'no config: set FASCIA_CONFIG (tools/stack.sh test info found none)' };
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (!k.startsWith('FASCIA_')) env[k] = v;
	const r = await run(bin, ['-c', cliConf, ...args], { cwd: ROOT, env });
	r.cmd = `${path.relative(ROOT, bin) || bin} -c ${cliConf} ${args.join(' ')}`;
	return r;
}
let cliWarning = '';

// ------------------------------------------------------------- the pages

const PAGES = [
	{ name: 'home', path: '/', status: 200, layout: true },
	{ name: 'page 2', path: '/page/2/', status: 200, layout: true },
	{ name: 'post with threaded comments', path: `/${THREAD_SLUG}/`, status: 200, layout: true },
	{ name: 'myofascial post', path: `/${POST_SLUG}/`, status: 200, layout: true },
	{ name: 'author page', path: null, status: 200, layout: true },	// found on the post
	{ name: 'tag page', path: null, status: 200, layout: true },	// found on the post
	{ name: '404 page', path: `/no-such-page-${randomBytes(4).toString('hex')}/`, status: 404, layout: true },
	{ name: 'comment form errors (400)', path: `/${POST_SLUG}/comments`, status: 400, layout: true, post: true },
];
const errorsDir = path.join(ROOT, 'static', 'errors');
for (const f of (fs.existsSync(errorsDir) ? fs.readdirSync(errorsDir) : []).filter(f => f.endsWith('.html')).sort())
	PAGES.push({ name: `static/errors/${f}`, path: `/static/errors/${f}`, status: 200, file: path.join(ROOT, 'static', 'errors', f) });

// Fetch every page once: its HTML goes to the Nu Html Checker, and the
// browser checks load the same URLs (the 400 page, the answer to a POST, is
// replayed to the browser from what the server sent here).
async function fetchPages() {
	// The 400 page: the form as a visitor sends it with an empty name, after
	// the minimum fill time.  Started first: it has to wait.
	const bad = PAGES.find(p => p.post);
	const postUrl = `${BASE}/${POST_SLUG}/`;
	const form = await http(postUrl);
	const shown = Date.now();
	const postHtml = form.body;
	const tok = /name="form_token" value="([^"]*)"/.exec(postHtml);

	const author = /<a class="author-link" href="([^"]+)"/.exec(postHtml) || /href="([^"]*\/author\/[^"]+)"/.exec(postHtml);
	const tag = /href="([^"]*\/tag\/[^"]+)"/.exec(postHtml);
	const rel = u => u.startsWith('http') ? new URL(u).pathname : u;
	PAGES.find(p => p.name === 'author page').path = author ? rel(author[1]) : '/author/maya-okafor/';
	PAGES.find(p => p.name === 'tag page').path = tag ? rel(tag[1]) : '/tag/myofascial-release/';

	await Promise.all(PAGES.filter(p => !p.post).map(async p => {
		try {
			const r = await http(BASE + p.path);
			Object.assign(p, { got: r.status, html: r.body, headers: Object.fromEntries(r.headers) });
			if (p.file && r.status !== 200) {
				p.note = `GET ${p.path} answered ${r.status}: checked the file ${path.relative(ROOT, p.file)} instead`;
				p.html = fs.readFileSync(p.file, 'utf8');
				p.got = p.status;
				p.fromFile = true;
			}
		} catch (e) {
			p.error = String(e);
		}
	}));

	await sleep(Math.max(0, shown + FILL_MS - Date.now()));
	const body = new URLSearchParams({
		comment: `Browser test: the form sent back with no name.\n\nSecond paragraph & <b>markup</b>.`,
		author: '', email: 'browser-vnu@example.com', url: '',
		website_confirm: '', comment_parent: '', form_token: tok ? tok[1] : '' });
	try {
		const r = await http(BASE + bad.path, { method: 'POST', body: body.toString(),
		    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN } });
		Object.assign(bad, { got: r.status, html: r.body, headers: Object.fromEntries(r.headers) });
	} catch (e) {
		bad.error = String(e);
	}
	for (const p of PAGES)
		if (p.html !== undefined)
			fs.writeFileSync(path.join(OUT, 'html', fileName(p.name) + '.html'), p.html);
}

// ------------------------------------------------------------------- vnu

async function vnuSection(pagesReady) {
	await pagesReady;
	const jar = path.join(HERE, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
	const files = PAGES.filter(p => p.html !== undefined)
	    .map(p => ({ p, file: path.join(OUT, 'html', fileName(p.name) + '.html') }));
	const r = await run('java', ['-Xss4m', '-jar', jar, '--format', 'json', '--stdout',
	    '--exit-zero-always', ...files.map(f => f.file)], { timeout: 120000 });
	fs.writeFileSync(path.join(OUT, 'vnu.json'), r.stdout);
	let messages = null;
	try {
		messages = JSON.parse(r.stdout).messages;
	} catch (e) {
		return [result(false, 'vnu: the Nu Html Checker ran', [`exit ${r.code}`, clip(r.stderr || r.stdout || r.err, 800)])];
	}
	const out = [];
	const global = messages.filter(m => !m.url);
	for (const p of PAGES) {
		const name = `vnu: ${p.name} (${p.path}) has no HTML errors or warnings`;
		if (p.error || p.html === undefined) {
			out.push(result(false, name, `could not fetch ${BASE}${p.path}: ${p.error || 'no answer'}`));
			continue;
		}
		const f = files.find(x => x.p === p).file;
		const mine = messages.filter(m => m.url && decodeURIComponent(m.url).endsWith(f));
		const bad = mine.filter(m => m.type === 'error' || m.type === 'non-document-error' ||
		    (m.type === 'info' && m.subType === 'warning'));
		const diag = [];
		if (p.got !== p.status)
			diag.push(`HTTP status ${p.got}, expected ${p.status}`);
		for (const m of bad.slice(0, 12))
			diag.push(`${m.subType || m.type} line ${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}: ${clip(m.message, 200)}` +
			    (m.extract ? ` [${clip(m.extract, 100)}]` : ''));
		if (bad.length > 12)
			diag.push(`... and ${bad.length - 12} more (vnu.json)`);
		if (p.note) diag.push(p.note);
		out.push(result(bad.length === 0 && p.got === p.status && global.length === 0, name,
		    diag.concat(global.map(m => `vnu: ${clip(m.message, 200)}`))));
	}
	return out;
}

// ------------------------------------------------------------------- axe

const AXE_SRC = fs.readFileSync(path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

async function runAxe(page) {
	// evaluate() runs outside the page's Content-Security-Policy, which
	// forbids inline scripts (and rightly so).
	await page.evaluate(AXE_SRC);
	return page.evaluate(async () => {
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return { violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
		    helpUrl: v.helpUrl, tags: v.tags, nodes: v.nodes.map(n => ({ target: n.target,
		    html: n.html, failureSummary: n.failureSummary })) })),
		    passes: r.passes.map(x => x.id), incomplete: r.incomplete.map(x => x.id),
		    inapplicable: r.inapplicable.length, testEngine: r.testEngine, url: r.url };
	});
}

function axeDiag(v) {
	const d = [];
	for (const x of v.slice(0, 10)) {
		d.push(`${x.id} (${x.impact}): ${x.help}`);
		for (const n of x.nodes.slice(0, 3))
			d.push(`    at ${n.target.join(' ')}: ${clip(n.html, 160)} -- ${clip(n.failureSummary, 200)}`);
		if (x.nodes.length > 3) d.push(`    ... ${x.nodes.length - 3} more elements`);
	}
	return d;
}

// Opens one of PAGES in page, replaying the 400 page from what the server
// answered to the POST (a browser shows it at the form's action URL).
async function openPage(page, p) {
	await page.unrouteAll({ behavior: 'ignoreErrors' });
	if (p.post || p.fromFile) {
		const headers = { 'content-type': 'text/html; charset=utf-8' };
		for (const [k, v] of Object.entries(p.headers || {}))
			if (!/^(content-length|content-encoding|transfer-encoding|connection|keep-alive|date)$/i.test(k))
				headers[k] = v;
		await page.route(BASE + p.path, route => route.request().isNavigationRequest() ?
		    route.fulfill({ status: p.got, headers, body: p.html }) : route.continue());
	}
	const resp = await page.goto(BASE + p.path, { waitUntil: 'load', timeout: 20000 });
	return resp ? resp.status() : null;
}

async function axeSection(browser, pagesReady) {
	await pagesReady;
	const axeOut = [], layoutOut = [];
	const views = [['phone 390x844', PHONE, 'light'], ['desktop 1280x800', DESKTOP, 'light'],
	    ['desktop dark scheme', DESKTOP, 'dark']];
	for (const [vname, viewport, scheme] of views) {
		const ctx = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1,
		    isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
		const page = await ctx.newPage();
		page.setDefaultTimeout(15000);
		const dialogs = [];
		page.on('dialog', d => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
		const pages = scheme === 'dark' ? PAGES.filter(p => ['home', 'myofascial post', 'comment form errors (400)'].includes(p.name)) : PAGES;
		for (const p of pages) {
			const name = `axe ${vname}: ${p.name} (${p.path}) has no violations`;
			if (p.html === undefined) {
				axeOut.push(result(false, name, `page not fetched: ${p.error || 'no answer'}`));
				continue;
			}
			try {
				const status = await openPage(page, p);
				const r = await runAxe(page);
				const base = `${fileName(p.name)}-${vname.split(' ')[0]}${scheme === 'dark' ? '-dark' : ''}`;
				fs.writeFileSync(path.join(OUT, 'axe', base + '.json'), JSON.stringify(r, null, 1));
				const diag = axeDiag(r.violations);
				if (status !== p.status) diag.push(`HTTP status ${status}, expected ${p.status}`);
				if (r.passes.length < 10) diag.push(`axe passed only ${r.passes.length} rules: did it see the page?`);
				if (dialogs.length) diag.push(`dialogs opened: ${dialogs.join(' | ')}`);
				axeOut.push(result(r.violations.length === 0 && status === p.status && r.passes.length >= 10 &&
				    !dialogs.length, name, diag));
				dialogs.length = 0;

				if (scheme === 'light' && p.layout && viewport === PHONE) {
					const m = await page.evaluate(() => ({
						sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
						wide: [...document.querySelectorAll('body *')].filter(e => {
							const b = e.getBoundingClientRect();
							return b.width > 0 && b.right > document.documentElement.clientWidth + 1;
						}).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
						    (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
						    ` (right edge ${Math.round(e.getBoundingClientRect().right)}px)`) }));
					layoutOut.push(result(m.sw <= m.cw, `layout phone 390px: ${p.name} (${p.path}) does not scroll sideways`,
					    m.sw <= m.cw ? [] : [`scrollWidth ${m.sw} > clientWidth ${m.cw}`, ...m.wide.map(w => 'too wide: ' + w)]));
				}
				if (p.name === 'myofascial post' && scheme === 'light')
					await page.screenshot({ path: path.join(OUT, 'screenshots', `post-${vname.split(' ')[0]}.png`), fullPage: true });
				if (p.name === 'home' && scheme === 'light')
					await page.screenshot({ path: path.join(OUT, 'screenshots', `home-${vname.split(' ')[0]}.png`), fullPage: false });
			} catch (e) {
				axeOut.push(result(false, name, clip(e && e.message || e, 600)));
			}
		}
		await ctx.close();
	}
	return [...axeOut, ...layoutOut];
}

// ---------------------------------------------------------- comment flow

async function flowSection(browser) {
	const out = [];
	const check = (ok, name, diag) => { out.push(result(ok, 'flow: ' + name, diag)); return !!ok; };
	const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
	const name1 = `Browser Tester ${stamp}`;
	const email1 = `browser-${stamp}@example.com`;
	const text1 = `Browser test ${stamp}: first comment from a real browser.`;
	const postUrl = `${BASE}/${POST_SLUG}/`;
	const created = [];
	let lastStored = 0;

	const ctx = await browser.newContext({ viewport: DESKTOP });
	const page = await ctx.newPage();
	page.setDefaultTimeout(15000);
	const dialogs = [], jsErrors = [], statuses = [];
	page.on('dialog', d => { dialogs.push(d.type() + ': ' + d.message()); d.dismiss().catch(() => {}); });
	page.on('pageerror', e => jsErrors.push('page error: ' + e.message));
	page.on('console', m => {
		// The 400 and 429 answers that the flow asks for are logged too.
		if (m.type() !== 'error' || (/^Failed to load resource: the server responded with a status of (400|429)\b/.test(m.text()) &&
		    /\/comments$/.test((m.location() || {}).url || '')))
			return;
		jsErrors.push('console: ' + m.text());
	});
	page.on('response', r => { if (r.request().isNavigationRequest()) statuses.push(`${elapsed()} ${r.request().method()} ${r.url()} ${r.status()}`); });
	const shot = (n, full = false) => page.screenshot({ path: path.join(OUT, 'screenshots', n + '.png'), fullPage: full }).catch(() => {});
	// A screenshot of what sel shows, at desktop and at phone size.
	const shots = async (n, sel) => {
		for (const [v, size] of [['desktop', DESKTOP], ['phone', PHONE]]) {
			await page.setViewportSize(size);
			await page.locator(sel).first().scrollIntoViewIfNeeded().catch(() => {});
			await shot(`${n}-${v}`);
		}
		await page.setViewportSize(DESKTOP);
	};
	const form = () => page.locator('#commentform');
	let shownAt = 0;
	const open = async url => { const r = await page.goto(url, { waitUntil: 'load' }); shownAt = Date.now(); return r; };

	// Sends the form as a person does (click on "Post Comment") after the
	// minimum fill time and, when it stores a comment, the flood interval
	// (one client address: every comment of this run counts).  A 429 caused
	// by someone else's comment is waited out and the kept form sent again.
	async function submit(stores, diag) {
		for (let attempt = 1; ; attempt++) {
			let wait = shownAt + FILL_MS - Date.now();
			if (stores) wait = Math.max(wait, lastStored + FLOOD_MS - Date.now());
			if (wait > 0) await sleep(wait);
			const respP = page.waitForResponse(r => r.request().method() === 'POST' &&
			    new URL(r.url()).pathname.endsWith('/comments'), { timeout: 20000 });
			const navP = page.waitForEvent('framenavigated', { predicate: f => f === page.mainFrame(), timeout: 20000 });
			await form().getByRole('button', { name: 'Post Comment' }).click({ noWaitAfter: true });
			const resp = await respP;
			await navP;
			await page.waitForLoadState('load');
			shownAt = Date.now();
			if (resp.status() === 429 && stores && attempt < 3) {
				const ra = Number(resp.headers()['retry-after'] || 15);
				diag.push(`429 (someone posted within the flood interval): waited ${ra} s and sent the kept form again`);
				lastStored = Date.now() - FLOOD_MS + ra * 1000 + 700;
				continue;
			}
			if (stores && resp.status() === 303) lastStored = Date.now();
			return resp;
		}
	}
	const fill = async (v) => {
		const f = form();
		if (v.comment !== undefined) await f.getByLabel('Comment', { exact: false }).fill(v.comment);
		if (v.author !== undefined) await f.getByLabel('Name', { exact: false }).fill(v.author);
		if (v.email !== undefined) await f.getByLabel('Email', { exact: false }).fill(v.email);
		if (v.url !== undefined) await f.getByLabel('Website', { exact: false }).fill(v.url);
	};
	const idFromUrl = () => { const m = /#comment-(\d+)$/.exec(page.url()); return m ? m[1] : null; };
	// What one comment's own article shows (not its replies').
	const commentView = id => page.evaluate(id => {
		const li = document.getElementById('comment-' + id);
		if (!li) return null;
		const art = li.querySelector(':scope > article') || li;
		const t = e => e ? e.textContent.replace(/\s+/g, ' ').trim() : '';
		const parentLi = li.parentElement && li.parentElement.closest('li.comment');
		return { author: t(art.querySelector('.comment-author, h3, h4')), content: t(art.querySelector('.comment-content')),
		    text: t(art), pending: t(art).includes('Your comment is awaiting moderation.'),
		    reply: !!art.querySelector('a.comment-reply-link, a[href*="replytocom"]'),
		    parentId: parentLi ? parentLi.id : null,
		    inChildrenList: !!(li.parentElement && li.parentElement.matches('ol.children, ul.children')),
		    scripts: li.querySelectorAll('script').length,
		    onAttrs: [...li.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length };
	}, id);
	const commentCount = async () => {
		const h = await page.locator('#comments h2').first().textContent().catch(() => '');
		const m = /This Post Has (\d+|One) Comments?/.exec(oneLine(h));
		return m ? (m[1] === 'One' ? 1 : Number(m[1])) : null;
	};

	try {
		// 1. The post page: the order of its parts, the skip link first.
		const r0 = await open(postUrl);
		const order = await page.evaluate((NOTE) => {
			const t = e => e.textContent.replace(/\s+/g, ' ').trim();
			const q = (sel, pred) => [...document.querySelectorAll(sel)].find(pred) || null;
			const items = [
				['skip link', q('a', a => /^skip to (main )?content$/i.test(t(a)))],
				['h1', document.querySelector('h1')],
				['byline (date and author)', q('article p, article div, header p', e => e.querySelector('time') &&
				    e.querySelector('a[href*="/author/"]') && !e.closest('#comments'))],
				['author bio box', q('section, aside, div', e => { const h = e.querySelector('h2, h3');
				    return h && /^About /.test(t(h)) && e.querySelector('a[href*="/author/"]') && !e.closest('#comments'); })],
				['"This Post Has N Comments"', q('h2', h => /^This Post Has (\d+|One) Comments?$/.test(t(h)))],
				['"Leave a Reply"', q('h2, h3', h => t(h) === 'Leave a Reply')],
				['the note', q('p', p => t(p) === NOTE)],
				['"Post Comment"', q('button, input[type=submit]', b => (t(b) || b.value) === 'Post Comment')],
				['"Back To Top"', q('a', a => t(a) === 'Back To Top')],
			];
			const missing = items.filter(([, e]) => !e).map(([n]) => n);
			const wrong = [];
			const found = items.filter(([, e]) => e);
			for (let i = 1; i < found.length; i++)
				if (!(found[i - 1][1].compareDocumentPosition(found[i][1]) & Node.DOCUMENT_POSITION_FOLLOWING))
					wrong.push(`${found[i][0]} comes before ${found[i - 1][0]}`);
			const h1 = document.querySelectorAll('h1').length;
			const top = items[8][1] && items[8][1].getAttribute('href');
			if (top && !(top === '#' || top === '#top' && document.getElementById('top') || document.getElementById(top.slice(1))))
				wrong.push(`"Back To Top" points at ${top}, which is not on the page`);
			return { missing, wrong, h1, heading: items[4][1] ? t(items[4][1]) : null,
			    skipHref: items[0][1] ? items[0][1].getAttribute('href') : null };
		}, NOTE);
		check(r0 && r0.status() === 200 && !order.missing.length && !order.wrong.length && order.h1 === 1,
		    `the post page shows skip link, h1, byline, author bio box, "${order.heading || 'This Post Has N Comments'}", "Leave a Reply", the note, "Post Comment", "Back To Top" in that order`,
		    [r0 && r0.status() !== 200 ? `status ${r0.status()}` : '', ...order.missing.map(m => `missing: ${m}`), ...order.wrong,
		     order.h1 !== 1 ? `${order.h1} h1 elements` : '']);
		await page.keyboard.press('Tab');
		const focus = await page.evaluate(() => { const a = document.activeElement;
			const href = a && a.getAttribute('href');
			return { text: a ? a.textContent.trim() : '', href,
			    target: !!(href && href.startsWith('#') && document.getElementById(href.slice(1))) }; });
		check(/^skip to (main )?content$/i.test(focus.text) && focus.target, 'the first Tab focuses "Skip to content", which points at the main content',
		    `focused: "${clip(focus.text, 80)}" href=${focus.href}`);
		const count0 = await commentCount();

		// 2. A first comment: held for moderation, shown to its writer only.
		await fill({ comment: text1, author: name1, email: email1, url: 'https://example.com/browser-test' });
		let diag = [];
		let resp = await submit(true, diag);
		const id1 = idFromUrl();
		let v = id1 && await commentView(id1);
		if (id1) created.push(id1);
		const url1 = new URL(page.url());
		check(resp.status() === 303 && url1.pathname === `/${POST_SLUG}/` && v && v.pending && v.content.includes(text1) && v.author === name1,
		    'a new comment lands on the post with "Your comment is awaiting moderation." next to it',
		    [...diag, `POST answered ${resp.status()}, landed on ${page.url()}`, v ? `comment ${id1}: pending notice ${v.pending}, author "${clip(v.author, 80)}", text "${clip(v.content, 120)}"` : `no #comment-ID in the URL or the page`]);
		if (id1)
			await shots('moderation-notice', `#comment-${id1}`);
		const other = await http(postUrl);
		check(other.status === 200 && !other.body.includes(stamp), 'the pending comment is not shown to another visitor',
		    other.body.includes(stamp) ? `GET ${postUrl} without the token shows "${stamp}"` : `status ${other.status}`);

		// 3. Approve it with the CLI while the next steps wait.
		let approved = false;
		if (id1) {
			const a = await cli(['comments', 'approve', id1]);
			approved = check(a.code === 0, `"fascia comments approve ${id1}" succeeds`,
			    [`${a.cmd || 'fascia'}: exit ${a.code}`, clip(a.stderr || a.stdout, 400), cliWarning]);
		} else {
			check(false, 'fascia comments approve ID succeeds', 'no comment id: the first comment was not posted');
		}

		// 4. The error state: no name.  Not stored, so no flood wait.
		const text2 = `Browser test ${stamp}: error state.\nA second line </textarea><script>alert("textarea")</script> & "quotes" <b>bold</b>`;
		await open(postUrl);
		await fill({ comment: text2, author: '', email: email1 });
		// A browser would stop at the required field: send it as one that doesn't.
		await page.evaluate(() => { document.getElementById('commentform').noValidate = true; });
		diag = [];
		resp = await submit(false, diag);
		const err = await page.evaluate(() => {
			const t = e => e ? e.textContent.replace(/\s+/g, ' ').trim() : '';
			const sum = document.querySelector('.error-summary, [role=alert]');
			const links = sum ? [...sum.querySelectorAll('a[href^="#"]')].map(a => ({ href: a.getAttribute('href'), text: t(a) })) : [];
			const author = document.getElementById('author');
			const desc = author && author.getAttribute('aria-describedby');
			const msgEl = desc && document.getElementById(desc.split(/\s+/)[0]);
			const label = document.querySelector('label[for=author]');
			return { summary: t(sum), links, invalid: author && author.getAttribute('aria-invalid'),
			    fieldMsg: t(msgEl), msgNearField: !!(msgEl && label && msgEl.parentElement === author.parentElement),
			    linkTargets: links.every(l => document.getElementById(l.href.slice(1))),
			    comment: document.getElementById('comment') && document.getElementById('comment').value,
			    email: author && document.getElementById('email').value, author: author && author.value };
		});
		check(resp.status() === 400, 'the form sent with an empty name answers 400', [...diag, `POST answered ${resp.status()}`]);
		check(err.summary && err.links.some(l => l.href === '#author') && err.linkTargets,
		    'the error summary at the top of the form links to the Name field',
		    [`summary: "${clip(err.summary, 200)}"`, `links: ${err.links.map(l => `${l.href} "${l.text}"`).join(', ')}`]);
		check(err.fieldMsg && err.invalid === 'true' && err.msgNearField, 'the Name field carries its own message (aria-invalid, aria-describedby)',
		    [`message: "${clip(err.fieldMsg, 120)}", aria-invalid=${err.invalid}, next to the field: ${err.msgNearField}`]);
		check(err.comment === text2 && err.email === email1 && err.author === '', 'the comment and email come back exactly as typed',
		    [`comment: ${JSON.stringify(err.comment)}`, `expected: ${JSON.stringify(text2)}`, `email: ${JSON.stringify(err.email)}`]);
		await shots('error-state', '#respond');

		// 5. An XSS probe: stored (pending), shown to its writer as text.
		const xssName = '<script>alert(1)</script>';
		const xssText = `"><svg onload=alert(1)> ${stamp}`;
		await open(postUrl);
		await fill({ comment: xssText, author: xssName, email: `xss-${stamp}@example.com` });
		diag = [];
		resp = await submit(true, diag);
		const idx = idFromUrl();
		if (idx) created.push(idx);
		await sleep(500);
		v = idx && await commentView(idx);
		const injected = await page.evaluate(() => ({ svgOnload: document.querySelectorAll('svg[onload]').length,
		    scripts: [...document.scripts].filter(s => /alert/.test(s.textContent)).length }));
		check(resp.status() === 303 && v && v.author.includes(xssName) && v.content.includes('"><svg onload=alert(1)>') &&
		    !dialogs.length && !v.scripts && !v.onAttrs && !injected.svgOnload && !injected.scripts,
		    'an XSS probe (name <script>alert(1)</script>, comment "><svg onload=alert(1)>) is shown as text and opens no dialog',
		    [...diag, `POST answered ${resp.status()}, landed on ${page.url()}`, v ? `shown name "${clip(v.author, 80)}", text "${clip(v.content, 120)}"` : 'comment not found on the page',
		     dialogs.length ? `dialogs: ${dialogs.join(' | ')}` : '', injected.svgOnload || injected.scripts ? `injected elements: ${JSON.stringify(injected)}` : '']);
		if (idx)
			await shots('xss-probe', `#comment-${idx}`);

		// 6. The approved comment, as everyone sees it.
		await open(postUrl);
		v = id1 && await commentView(id1);
		const count1 = await commentCount();
		check(approved && v && !v.pending && v.reply && v.content.includes(text1) && count1 === count0 + 1,
		    'once approved the comment is shown to everyone as an ordinary comment with a Reply link',
		    v ? [`pending notice: ${v.pending}, Reply link: ${v.reply}`, `heading count ${count0} -> ${count1}`] : `comment ${id1} not on ${postUrl}`);

		// 7. Reply to it: the form knows, the reply is nested under it.
		let replyOk = false;
		if (v && v.reply) {
			await page.locator(`#comment-${id1} > article a.comment-reply-link, #comment-${id1} > * a[href*="replytocom"]`).first().click();
			await page.waitForLoadState('load');
			shownAt = Date.now();
			const rf = await page.evaluate(() => {
				const t = e => e ? e.textContent.replace(/\s+/g, ' ').trim() : '';
				const h = [...document.querySelectorAll('#respond h2, #respond h3, #reply-title')].map(t);
				const p = document.querySelector('#commentform input[name=comment_parent]');
				return { heading: h.find(x => /^Reply to /.test(x)) || h[0] || '', parent: p ? p.value : null, hash: location.hash };
			});
			replyOk = check(rf.heading === `Reply to ${name1}` && rf.parent === id1,
			    `the Reply link opens the form as "Reply to ${name1}" with comment_parent=${id1}`,
			    [`url ${page.url()}`, `heading "${rf.heading}", comment_parent=${JSON.stringify(rf.parent)}`]);
			await shots('reply-form', '#respond');
		} else {
			check(false, 'the Reply link opens the form with comment_parent set', 'no approved comment with a Reply link to answer');
		}
		if (replyOk) {
			const text3 = `Browser test ${stamp}: a reply from the same commenter.`;
			await fill({ comment: text3, author: name1, email: email1 });
			diag = [];
			resp = await submit(true, diag);
			const id3 = idFromUrl();
			if (id3) created.push(id3);
			v = id3 && await commentView(id3);
			const isApproved = !/[?&]unapproved=/.test(page.url());
			check(resp.status() === 303 && v && v.parentId === `comment-${id1}` && v.inChildrenList && v.content.includes(text3) &&
			    (isApproved ? !v.pending : v.pending),
			    `the reply lands nested under comment ${id1}` + (isApproved ? ' and, from a returning commenter, is approved at once' : ' (held for moderation)'),
			    [...diag, `POST answered ${resp.status()}, landed on ${page.url()}`,
			     v ? `parent element ${v.parentId}, in a children list: ${v.inChildrenList}, pending notice: ${v.pending}` : 'reply not found on the page']);
			if (id3)
				await shots('reply-nested', `#comment-${id3}`);
		}
		check(!jsErrors.length, 'no JavaScript error or CSP report in the console during the flow', jsErrors.slice(0, 8));
		check(!dialogs.length, 'no dialog opened during the flow', dialogs.slice(0, 5));
		fs.writeFileSync(path.join(OUT, 'flow-navigations.txt'), statuses.join('\n') + '\n');

		// 8. Leave the blog as it was: delete this run's comments.
		if (created.length && !process.env.BROWSER_KEEP_COMMENTS) {
			const d = await cli(['comments', 'delete', ...created.slice().reverse()]);
			check(d.code === 0, `the test comments (${created.join(', ')}) are deleted with "fascia comments delete"`,
			    [`exit ${d.code}`, clip(d.stderr || d.stdout, 300)]);
		}
	} catch (e) {
		check(false, 'the comment flow ran to its end', [clip(e && e.message || e, 1000), `at ${page.url()}`]);
		await shot('flow-failure-desktop');
		if (created.length && !process.env.BROWSER_KEEP_COMMENTS)
			await cli(['comments', 'delete', ...created.slice().reverse()]);
	} finally {
		await ctx.close().catch(() => {});
	}
	return out;
}

// ------------------------------------------------------------ lighthouse

// One Chromium for the three runs, started by hand with the flags that the
// closed network needs; Lighthouse drives it over its DevTools port.
async function startChrome() {
	const udd = fs.mkdtempSync(path.join(os.tmpdir(), 'fascia-lh-'));
	const child = spawn(CHROMIUM, [...CHROME_FLAGS, `--user-data-dir=${udd}`,
	    '--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1', 'about:blank'],
	    { stdio: ['ignore', 'ignore', 'pipe'] });
	let log = '';
	child.stderr.on('data', d => { log = (log + d).slice(-4000); });
	const portFile = path.join(udd, 'DevToolsActivePort');
	for (let i = 0; i < 200; i++) {
		if (child.exitCode !== null) break;
		try {
			const port = Number(fs.readFileSync(portFile, 'utf8').split('\n')[0]);
			if (port > 0) return { child, port, udd };
		} catch (e) { /* not yet */ }
		await sleep(100);
	}
	child.kill('SIGKILL');
	throw new Error('chromium did not open its DevTools port: ' + clip(log, 600));
}

async function lighthouseSection(pagesReady) {
	await pagesReady;
	const { default: lighthouse } = await import('lighthouse');
	const targets = [PAGES[0], PAGES.find(p => p.name === 'myofascial post'), PAGES.find(p => p.name === 'author page')];
	const cats = ['accessibility', 'best-practices', 'seo'];
	const out = [];
	const chrome = await startChrome();
	children.push(chrome.child);
	try {
		for (const p of targets) {
			const name = `lighthouse mobile: ${p.name} (${p.path}) scores 100 in ${cats.join(', ')}`;
			try {
				const r = await lighthouse(BASE + p.path, { port: chrome.port, output: ['json', 'html'],
				    logLevel: 'error', onlyCategories: cats, formFactor: 'mobile' });
				if (!r || !r.lhr) throw new Error('no result');
				const base = path.join(OUT, 'lighthouse', fileName(p.name));
				fs.writeFileSync(base + '.json', r.report[0]);
				fs.writeFileSync(base + '.html', r.report[1]);
				const lhr = r.lhr;
				const scores = cats.map(c => [c, lhr.categories[c] ? lhr.categories[c].score : null]);
				const diag = [`scores: ${scores.map(([c, s]) => `${c} ${s === null ? 'n/a' : Math.round(s * 100)}`).join(', ')}`];
				for (const [c] of scores) {
					if (!lhr.categories[c]) continue;
					for (const ref of lhr.categories[c].auditRefs) {
						const a = lhr.audits[ref.id];
						if (ref.weight > 0 && a.score !== null && a.score < 1) {
							diag.push(`${c}: ${ref.id} (${a.score}): ${clip(a.title, 120)}`);
							const items = a.details && a.details.items || [];
							for (const it of items.slice(0, 3))
								diag.push(`    ${clip(JSON.stringify(it.node ? { selector: it.node.selector, snippet: it.node.snippet } : it), 240)}`);
						}
					}
				}
				if (lhr.runtimeError) diag.push(`runtime error: ${lhr.runtimeError.code} ${clip(lhr.runtimeError.message, 200)}`);
				for (const w of lhr.runWarnings || []) diag.push(`warning: ${clip(w, 200)}`);
				out.push(result(scores.every(([, s]) => s === 1) && !lhr.runtimeError, name, diag));
			} catch (e) {
				out.push(result(false, name, clip(e && e.stack || e, 800)));
			}
		}
	} finally {
		chrome.child.kill('SIGTERM');
		await sleep(300);
		if (chrome.child.exitCode === null) chrome.child.kill('SIGKILL');
		fs.rmSync(chrome.udd, { recursive: true, force: true });
	}
	return out;
}

// ------------------------------------------------------------------ main

const children = [];
let browser = null;
process.on('exit', () => { for (const c of children) try { if (c.exitCode === null) c.kill('SIGKILL'); } catch (e) { /* gone */ } });

async function main() {
	process.stdout.write(`TAP version 13\n# fascia browser checks of ${BASE} (artefacts in ${OUT})\n`);
	// The server must answer before anything else is worth doing.
	try {
		const h = await http(BASE + '/', { timeout: 10000 });
		if (h.status !== 200) throw new Error(`GET ${BASE}/ answered ${h.status}`);
		if (!/text\/html/.test(h.headers.get('content-type') || ''))
			throw new Error(`GET ${BASE}/ is ${h.headers.get('content-type')}, not HTML`);
	} catch (e) {
		console.log(`Bail out! ${BASE} does not serve the blog: ${clip(e.message || e, 200)}`);
		return 2;
	}
	try {
		browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
		    args: CHROME_FLAGS.filter(f => f !== '--headless'), timeout: 30000 });
	} catch (e) {
		console.log(`Bail out! chromium (${CHROMIUM}) would not start: ${clip(e.message || e, 300)}`);
		return 2;
	}
	const pagesReady = fetchPages();
	const sections = [
		section('vnu', () => vnuSection(pagesReady)),
		section('axe', () => axeSection(browser, pagesReady)),
		section('flow', () => flowSection(browser)),
		section('lighthouse', () => lighthouseSection(pagesReady)),
	];
	for (const s of sections)
		for (const r of await s)
			emit(r);
	console.log(`# sections finished at: ${Object.entries(finished).map(([k, v]) => `${k} ${v}`).join(', ')}`);
	console.log(`1..${testNo}`);
	console.log(`# ${testNo} tests: ${testNo - failed} ok, ${failed} not ok, in ${elapsed()}`);
	return 0;
}

const code = await main().catch(e => {
	console.log(`Bail out! ${clip(e && e.stack || e, 800)}`);
	return 2;
});
if (browser) await Promise.race([browser.close().catch(() => {}), sleep(5000)]);
process.exit(code);
