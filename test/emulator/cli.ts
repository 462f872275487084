// Transitional: callers that still start `test/emulator/cli.ts` get the JavaScript CLI (cli.js).
import './cli.js';
