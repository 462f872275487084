const { src, dest } = require('gulp');

/** Icons and codex files live beside the sources; n8n loads them from dist/. */
function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = copyIcons;
exports.default = copyIcons;
