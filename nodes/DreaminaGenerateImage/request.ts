import type { IDataObject } from 'n8n-workflow';

import type { RequestDraft } from '../shared/draft';
import { DraftBuilder, readJobOptions } from '../shared/draft';
import type { ValidationIssue } from '../shared/errors';
import { readAccount } from '../shared/fields/account';
import type { ModelFacts } from '../shared/modelChecks';
import { imageModelIssues } from '../shared/modelChecks';
import type { ItemParameters } from '../shared/parameters';
import { schemaIssues } from '../shared/schemas/common';
import { imageRequestSchema, unexpectedImageKey } from './schema';

/** One item's POST /images request; image strength only goes with reference images. */
export function readImageRequest(params: ItemParameters): RequestDraft {
	const draft = new DraftBuilder(params);
	draft.set('account', readAccount(params, true), 'account');
	draft.text('prompt');
	draft.text('model');
	const rows = params.rowCount('referenceImages.image');
	for (let row = 0; row < rows; row++) {
		const path = `referenceImages.image[${row}]`;
		draft.reference(
			`imageRef_${row + 1}`,
			'image',
			{
				source: `${path}.source`,
				binaryField: `${path}.binaryPropertyName`,
				assetRef: `${path}.assetRef`,
			},
			'is empty: give the reference image a file or an assetRef, or remove the row',
		);
	}
	draft.text('ratio');
	draft.text('resolution');
	const strength = params.number('imageStrength');
	if (rows > 0) draft.set('imageStrength', strength, 'imageStrength');
	return draft.draft(readJobOptions(draft));
}

export function imageRequestIssues(
	body: IDataObject,
	facts: ModelFacts,
	checkModel: boolean,
): ValidationIssue[] {
	// A model's own rule ("prompt is required for nano-banana") says more than the general one.
	const model = checkModel ? imageModelIssues(body, facts) : [];
	const general = schemaIssues(imageRequestSchema, body, unexpectedImageKey).filter(
		(issue) => !model.some((specific) => specific.parameter === issue.parameter),
	);
	return [...model, ...general];
}
