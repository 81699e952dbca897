// Entry point of the language server bundle (dist/server/server.js).
import { startLanguageServer } from './server';

startLanguageServer();
