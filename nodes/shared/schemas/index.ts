export { validate } from './common';
export { videoRequestSchemas, unexpectedVideoKey, describeDurations } from './video';
export { imageRequestSchema } from './image';
export { upscaleRequestSchema } from './upscale';
export { assetUploadSchema } from './asset';
export { accountParameterSchema, addAccountSchema, listAssetsSchema } from './account';
