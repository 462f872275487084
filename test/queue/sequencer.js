// @ts-check
'use strict';
/**
 * The suite shares one cluster, so the file that kills a worker runs last; the others in name order.
 */
const Sequencer = require('@jest/test-sequencer').default;

const LAST = /worker-kill\.queue-test\.ts$/;

class QueueSequencer extends Sequencer {
	/** @param {Array<import('@jest/test-result').Test>} tests */
	sort(tests) {
		return [...tests].sort((a, b) => {
			const la = LAST.test(a.path) ? 1 : 0;
			const lb = LAST.test(b.path) ? 1 : 0;
			return la - lb || a.path.localeCompare(b.path);
		});
	}
}

module.exports = QueueSequencer;
