// The trainer process of the tests: the real trainer host (protocol, run folder, signals) around
// the fake training core. Forked by the run manager through MASKLAB_TRAINER_ENTRY or `entry`.
import { serveTrainer } from '../../../server/src/runs/trainerHost';
import { fakeRunTraining } from './fakeTraining';

serveTrainer({ loadTrainer: async () => fakeRunTraining, engineVersion: () => null });
