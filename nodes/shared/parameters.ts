/**
 * API parameter name → the field a user sees in the node, so every error can point at what to change.
 */
const FIXED_LABELS: Record<string, string> = {
	account: 'Account',
	prompt: 'Prompt',
	model: 'Model',
	ratio: 'Aspect Ratio',
	duration: 'Duration',
	resolution: 'Resolution',
	firstFrameRef: 'First Frame (assetRef)',
	endFrameRef: 'Last Frame (assetRef)',
	replyUrl: 'Options › Reply URL',
	replyRef: 'Options › Reply Reference',
	maxJobs: 'Options › Max Jobs',
	imageStrength: 'Image Strength',
	jobid: 'Source Job ID',
	imageIndex: 'Image Index',
	upscaleResolution: 'Upscale Resolution',
	originalImageStrength: 'Original Image Strength',
	detailStrength: 'Detail Strength',
	email: 'Email',
	password: 'Password',
	region: 'Region',
	contentType: 'Content Type',
	binaryPropertyName: 'Input Binary Field',
	size: 'File Size',
	count: 'Limit',
	limit: 'Limit',
	pageSize: 'Options › Page Size',
	assetId: 'Asset ID',
	durationMs: 'Duration',
	width: 'Video Width',
	height: 'Video Height',
};

export function parameterLabel(apiName: string): string {
	if (FIXED_LABELS[apiName]) return FIXED_LABELS[apiName];
	let match = /^frame_(\d+)_(imageRef|prompt|duration)$/.exec(apiName);
	if (match) {
		const field = { imageRef: 'Image (assetRef)', prompt: 'Prompt', duration: 'Duration' }[
			match[2]
		];
		return `Keyframes › Keyframe ${match[1]} › ${field}`;
	}
	match = /^omni_(\d+)_(image|video|audio)Ref$/.exec(apiName);
	if (match) {
		const kind = match[2][0].toUpperCase() + match[2].slice(1);
		return `${kind} References › @${match[2]}${match[1]}`;
	}
	match = /^imageRef_(\d+)$/.exec(apiName);
	if (match) return `Reference Images › Image ${match[1]}`;
	return apiName;
}

/** "Prompt (prompt)" — the UI label with the API name, so both users and API docs readers find it. */
export function describeParameter(apiName: string): string {
	const label = parameterLabel(apiName);
	return label === apiName ? apiName : `${label} (${apiName})`;
}

/** Picks the parameter an API 400 message is about, e.g. "Parameter model (x) valid values: …" → model. */
export function parameterInApiMessage(message: string): string | undefined {
	const match =
		/\b[Pp]arameters? ([A-Za-z_0-9]+)/.exec(message) ??
		/^([a-z][A-Za-z_0-9]*(?:_\d+_[A-Za-z]+)?) (?:is|must|cannot|can't|should|exceeds|requires)\b/.exec(
			message,
		);
	return match?.[1];
}
