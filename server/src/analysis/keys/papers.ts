import type { PaperId } from './types';

export interface Paper {
  short: string;
  citation: string;
}

/** The papers the language's knobs come from, cited in hover and in docs/language.md. */
export const papers: Record<PaperId, Paper> = {
  zhao2020: {
    short: 'Zhao et al. 2020',
    citation:
      'Mengjie Zhao, Tao Lin, Fei Mi, Martin Jaggi, Hinrich Schütze. "Masking as an Efficient Alternative to Finetuning for Pretrained Language Models". EMNLP 2020.',
  },
  radiya2020: {
    short: 'Radiya-Dixit & Wang 2020',
    citation: 'Evani Radiya-Dixit, Xin Wang. "How fine can fine-tuning be? Learning efficient language models". AISTATS 2020.',
  },
  chen2023: {
    short: 'Chen et al. 2023',
    citation:
      'Xuxi Chen, Tianlong Chen, Weizhu Chen, Ahmed Hassan Awadallah, Zhangyang Wang, Yu Cheng. "DSEE: Dually Sparsity-embedded Efficient Tuning of Pre-trained Language Models". ACL 2023.',
  },
  devlin2019: {
    short: 'Devlin et al. 2019',
    citation:
      'Jacob Devlin, Ming-Wei Chang, Kenton Lee, Kristina Toutanova. "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding". NAACL 2019.',
  },
  zhu2017: {
    short: 'Zhu & Gupta 2017',
    citation: 'Michael Zhu, Suyog Gupta. "To prune, or not to prune: exploring the efficacy of pruning for model compression". arXiv:1710.01878, 2017.',
  },
  wang2019: {
    short: 'Wang et al. 2019',
    citation:
      'Alex Wang, Amanpreet Singh, Julian Michael, Felix Hill, Omer Levy, Samuel R. Bowman. "GLUE: A Multi-Task Benchmark and Analysis Platform for Natural Language Understanding". ICLR 2019.',
  },
  loshchilov2019: {
    short: 'Loshchilov & Hutter 2019',
    citation: 'Ilya Loshchilov, Frank Hutter. "Decoupled Weight Decay Regularization". ICLR 2019.',
  },
};
