import type { IDataObject } from 'n8n-workflow';

import type { RequestDraft } from '../shared/draft';
import { DraftBuilder, readJobOptions } from '../shared/draft';
import type { ValidationIssue } from '../shared/errors';
import type { ItemParameters } from '../shared/parameters';
import { schemaIssues } from '../shared/schemas/common';
import { upscaleRequestSchema } from './schema';

/** One item's POST /images/upscale request. */
export function readUpscaleRequest(params: ItemParameters): RequestDraft {
	const draft = new DraftBuilder(params);
	draft.text('jobid');
	draft.number('imageIndex');
	draft.text('upscaleResolution');
	draft.number('originalImageStrength');
	draft.number('detailStrength');
	return draft.draft(readJobOptions(draft));
}

export function upscaleRequestIssues(body: IDataObject): ValidationIssue[] {
	return schemaIssues(upscaleRequestSchema, body);
}
