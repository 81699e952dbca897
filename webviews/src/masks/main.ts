// Entry of the masks panel page (bundled to dist/webviews/masks.js).
import '../shared/base.css';
import './masks.css';
import { Messenger } from '../shared/messenger';
import { vscodeApi } from '../shared/vscodeApi';
import { MasksApp } from './masksApp';

const api = vscodeApi();
const messenger = new Messenger(api, 'masks');
const root = document.getElementById('root') ?? document.body;
const app = new MasksApp(api, messenger, root);
messenger.start((message) => app.handle(message));
