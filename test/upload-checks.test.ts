/**
 * Upload Asset checks a file the way the API does, through n8n's engine: MP3 durations, the bytes
 * deciding the type over a wrong MIME type, and an empty file told apart from a large one.
 */
import type { Emulator } from './emulator/server';
import { startEmulator } from './emulator/server';
import { makeMp3, makePng } from './emulator/media';
import { disposeHarness, runWorkflow } from './harness';
import { emulatorClient } from './support/emulator-client';
import { joinPath, removeDir, tempDir, writeFile } from './support/system';
import { chain, dreamina } from './support/workflows';

const US = 'US:us-user@example.com';
let emu: Emulator;
let dir: string;

beforeAll(async () => {
	emu = await startEmulator();
	dir = tempDir('upload-checks-');
});
afterAll(async () => {
	await emu.close();
	removeDir(dir);
	await disposeHarness();
});
beforeEach(() => emu.clearRequests());

async function uploadFile(name: string, bytes: Uint8Array, mimeType: string) {
	const path = joinPath(dir, name);
	writeFile(path, bytes);
	return await runWorkflow({
		workflow: chain([
			{
				name: 'Files',
				type: 'test.binaryFixture',
				parameters: {
					files: JSON.stringify([{ path, mimeType, fileName: name, property: 'data' }]),
				},
			},
			{
				name: 'Upload',
				type: dreamina('dreaminaUploadAsset'),
				typeVersion: 2,
				parameters: { account: { __rl: true, mode: 'id', value: US }, binaryPropertyName: 'data' },
			},
		]),
		credentials: { dreaminaApi: { apiToken: emu.token, baseUrl: emu.baseUrl } },
	});
}

const uploads = () => emulatorClient(emu).posts(`/assets/${US}`);

it('a 40 s MP3 is refused before upload with its duration; a 25 s one is uploaded as audio/mpeg', async () => {
	const long = await uploadFile('long.mp3', makeMp3(40_000), 'audio/mpeg');
	expect(long.status).toBe('error');
	expect(long.error?.message).toMatch(
		/audio must last 1\.8–30\.2 s; this one lasts (about )?(39|40)\.\d+ s/,
	);
	expect(long.error?.description).toMatch(/Trim the clip.*Nothing was uploaded/);
	expect(uploads()).toHaveLength(0);

	const short = await uploadFile('short.mp3', makeMp3(25_000, { vbr: true }), 'audio/mpeg');
	expect(short.error).toBeUndefined();
	expect(short.output('Upload')[0].json).toMatchObject({ type: 'audio', mimeType: 'audio/mpeg' });
	expect(uploads().map((r) => r.contentType)).toEqual(['audio/mpeg']);
});

it('PNG bytes labelled image/jpeg are sent as image/png: the bytes decide', async () => {
	const result = await uploadFile('photo.jpg', makePng(640, 480, 9), 'image/jpeg');
	expect(result.error).toBeUndefined();
	expect(result.output('Upload')[0].json).toMatchObject({ type: 'image', mimeType: 'image/png' });
	expect(uploads().map((r) => r.contentType)).toEqual(['image/png']);
});

it('an empty file gets advice about empty files, not "use a smaller file"', async () => {
	const result = await uploadFile('nothing.png', new Uint8Array(0), 'image/png');
	expect(result.status).toBe('error');
	expect(result.error?.message).toMatch(/the file is empty \(0 bytes\)/);
	expect(result.error?.description).toMatch(/produced no data/);
	expect(result.error?.description).not.toMatch(/smaller file/);
	expect(uploads()).toHaveLength(0);
});
