import type { IDataObject } from 'n8n-workflow';

import { findVideoModel } from '../shared/capabilities';
import type { RequestDraft } from '../shared/draft';
import { DraftBuilder, readJobOptions } from '../shared/draft';
import type { ValidationIssue } from '../shared/errors';
import { readAccount } from '../shared/fields/account';
import type { ModelFacts } from '../shared/modelChecks';
import { videoModelIssues } from '../shared/modelChecks';
import type { ItemParameters } from '../shared/parameters';
import { schemaIssues } from '../shared/schemas/common';
import type { VideoMode } from '../shared/videoInputModes';
import { OMNI_KINDS, VIDEO_INPUT_MODES, VIDEO_MODES } from '../shared/videoInputModes';
import { unexpectedVideoKey, videoRequestSchemas } from './schema';

const emptyRow = (what: string) =>
	`is empty: give the ${what} a file or an assetRef, or remove the row`;

/**
 * One item's POST /videos request, read from the node: only the fields the chosen input mode uses
 * (shared/videoInputModes.ts), a field left at "default" left out, except a duration the API's
 * default (5 s) would break (sora2). Files from binary fields are uploaded before it is sent.
 */
export function readVideoRequest(params: ItemParameters): RequestDraft {
	const mode = params.choice('inputMode', VIDEO_MODES, 'prompt');
	const spec = VIDEO_INPUT_MODES[mode];
	const draft = new DraftBuilder(params);

	draft.set('account', readAccount(params, true), 'account');
	const model = draft.text('model');
	if (spec.prompt !== 'none') draft.text('prompt');

	for (const frame of spec.frames) {
		draft.reference(frame.apiName, 'image', {
			source: `${frame.field}Source`,
			binaryField: `${frame.field}BinaryProperty`,
			defaultBinaryField: frame.defaultBinaryProperty,
			assetRef: frame.apiName,
		});
	}

	if (spec.editVideo) {
		const edit = spec.editVideo;
		draft.reference(edit.apiName, 'video', {
			source: `${edit.field}Source`,
			binaryField: `${edit.field}BinaryProperty`,
			defaultBinaryField: edit.defaultBinaryProperty,
			assetRef: edit.apiName,
		});
	}

	if (spec.keyframes) {
		const rows = params.rowCount('keyframes.keyframe');
		for (let row = 0; row < rows; row++) {
			const path = `keyframes.keyframe[${row}]`;
			const n = row + 1;
			draft.reference(
				`frame_${n}_imageRef`,
				'image',
				{
					source: `${path}.source`,
					binaryField: `${path}.binaryPropertyName`,
					assetRef: `${path}.imageRef`,
				},
				emptyRow('keyframe'),
			);
			draft.text(`frame_${n}_prompt`, `${path}.prompt`);
			draft.number(`frame_${n}_duration`, `${path}.duration`);
		}
		// "needs 2 keyframes, got 1" points at the keyframe to add
		draft.place(`frame_${rows + 1}_imageRef`, `keyframes.keyframe[${rows}].imageRef`);
	}

	if (spec.omni) {
		for (const kind of OMNI_KINDS) {
			const list = `${kind}References.reference`;
			const rows = params.rowCount(list);
			for (let row = 0; row < rows; row++) {
				const path = `${list}[${row}]`;
				draft.reference(
					`omni_${row + 1}_${kind}Ref`,
					kind,
					{
						source: `${path}.source`,
						binaryField: `${path}.binaryPropertyName`,
						assetRef: `${path}.assetRef`,
					},
					emptyRow(`${kind} reference`),
				);
			}
			draft.place(`omni_1_${kind}Ref`, `${list}[0].assetRef`);
		}
	}

	if (spec.duration) {
		const duration = draft.number('duration');
		const known = findVideoModel(model);
		if (duration === undefined && known && !known.durations.includes(5)) {
			draft.set('duration', known.defaultDuration, 'duration');
		}
	}
	if (spec.ratio) draft.text('ratio');
	draft.text('resolution');
	return draft.draft(readJobOptions(draft), mode);
}

/** Every rule the request breaks: its mode's shape, then (unless skipped) the model's limits. */
export function videoRequestIssues(
	mode: VideoMode,
	body: IDataObject,
	facts: ModelFacts,
	checkModel: boolean,
): ValidationIssue[] {
	const issues = schemaIssues(videoRequestSchemas[mode], body, (key) =>
		unexpectedVideoKey(mode, key),
	);
	return checkModel ? [...issues, ...videoModelIssues(mode, body, facts)] : issues;
}
