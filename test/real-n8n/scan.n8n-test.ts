/**
 * n8n's community package scanner (@n8n/scan-community-package, the check n8n runs before it
 * verifies a package) on this package: its source leg (package.json, nodes/, credentials/) and its
 * tarball leg (the `npm pack` tarball's .js files and package.json), with the scanner's own rules.
 * The scanner's CLI only fetches published packages, so scripts/scan-package.js runs its exported
 * `analyzePackage()` here (in a child process: the scanner is an ES module).
 */
import type { ScanReport } from '../../scripts/scan-package';
import { report, runNode } from '../support/system';

let scan: ScanReport;

beforeAll(async () => {
	const result = await runNode(['scripts/scan-package.js', '--json']);
	const lastLine = result.stdout.trim().split('\n').pop() ?? '';
	expect({ stderr: result.stderr, parsable: lastLine.startsWith('{') }).toEqual({
		stderr: '',
		parsable: true,
	});
	scan = JSON.parse(lastLine) as ScanReport;
	report(
		`[scan] ${scan.scannerVersion} (rules ${scan.eslintPluginVersion}, ${scan.ruleCount} on) on ${scan.tarball}: ` +
			scan.legs
				.map(
					(l) =>
						`${l.leg} ${l.files.length} files, ${l.errorCount} errors, ${l.warningCount} warnings`,
				)
				.join('; '),
	);
}, 180_000);

test('the scanner is the pinned version and switches its community-node rules on', () => {
	expect(scan.scannerVersion).toBe('0.32.0');
	expect(scan.ruleCount).toBeGreaterThan(30);
});

test.each(['source', 'tarball'])(
	'%s leg: every node and credential file is scanned, with no error and no warning',
	(legName) => {
		const leg = scan.legs.find((l) => l.leg === legName);
		expect(leg).toBeDefined();
		const { files, messages, passed } = leg!;
		expect(files).toContain('package.json');
		const built = legName === 'tarball' ? 'dist/' : '';
		const ext = legName === 'tarball' ? '.js' : '.ts';
		for (const file of [
			`${built}credentials/DreaminaApi.credentials${ext}`,
			`${built}nodes/DreaminaGenerateVideo/DreaminaGenerateVideo.node${ext}`,
			`${built}nodes/DreaminaTrigger/DreaminaTrigger.node${ext}`,
		]) {
			expect(files).toContain(file);
		}
		expect(messages).toEqual([]);
		expect(passed).toBe(true);
	},
);
