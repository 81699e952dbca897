// Entry of the metrics panel page (bundled to dist/webviews/metrics.js).
import '../shared/base.css';
import './metrics.css';
import { Messenger } from '../shared/messenger';
import { vscodeApi } from '../shared/vscodeApi';
import { MetricsApp } from './metricsApp';

const api = vscodeApi();
const messenger = new Messenger(api, 'metrics');
const root = document.getElementById('root') ?? document.body;
const app = new MetricsApp(api, messenger, root);
messenger.start((message) => app.handle(message));
