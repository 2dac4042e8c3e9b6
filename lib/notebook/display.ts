/**
 * Showing results in a Jupyter notebook run by the Deno kernel: tables,
 * charts, text, and a training progress display that updates in place.
 *
 * Library code does not touch `Deno.jupyter`: the notebook passes its
 * `Deno.jupyter.display` to {@linkcode createNotebookShow}, so everything
 * here also runs, and is tested, outside a kernel.
 *
 * Every call waits a moment after its display is sent. Deno's kernel sends
 * displays from the JavaScript thread and its "cell finished" status from
 * another; when a cell ends right after a display, the status can overtake
 * it, and a headless run (nbconvert) or a front end then drops the display.
 * For the same reason notebooks show results through these calls rather
 * than leaving a value as a cell's last expression: the kernel sends that
 * value without waiting for it at all.
 *
 * @module
 */
import type pl from "nodejs-polars";
import type { TopLevelSpec } from "vega-lite";
import { chartBundle } from "./chart_bundle.ts";
import type { BatchProgress, EpochSummary, TrainingCallbacks } from "../callbacks.ts";
import { escapeHtml, renderHtmlTable } from "../report/mod.ts";
import { roundFloats } from "./tables.ts";
import { formatEpochLine, formatProgressBar } from "../training/mod.ts";
import type { ModelResult } from "../results.ts";

/** The options `Deno.jupyter.display` takes. */
export interface JupyterDisplayOptions {
  /** Send the value as a MIME bundle as it is, instead of formatting it. */
  raw?: boolean;
  /** Names the display so that later calls can update it. */
  display_id?: string;
  /** Replace the display named by `display_id` instead of adding one. */
  update?: boolean;
}

/** A function shaped like `Deno.jupyter.display`. */
export type JupyterDisplay = (value: unknown, options?: JupyterDisplayOptions) => Promise<void>;

/** A MIME bundle of HTML with a plain-text fallback. */
export interface HtmlBundle {
  /** The rich form, for notebook front ends. */
  "text/html": string;
  /** The plain form, for consoles. */
  "text/plain": string;
}

/** What a training progress display shows. */
export interface TrainingProgressState {
  /** The model, as the reader knows it ("MLP"). */
  label: string;
  /** The epochs finished so far. */
  epochs: readonly EpochSummary[];
  /** Progress within the current epoch, if one is under way. */
  batch?: BatchProgress;
  /** A sentence on what is happening, shown when no epoch is under way. */
  status?: string;
}

/** Options for {@linkcode createNotebookShow}. */
export interface NotebookShowOptions {
  /** Milliseconds to wait after each display is sent; see the module notes. Default 100. */
  settleMs?: number;
  /** Least milliseconds between two progress updates within an epoch. Default 2000. */
  batchIntervalMs?: number;
}

/** Options for showing a table. */
export interface ShowTableOptions {
  /** Decimals kept in floating-point columns. Default 4. */
  digits?: number;
  /** Show only the first rows. Default all. */
  rows?: number;
}

/** A training progress display: its callbacks, and a call to close it. */
export interface ProgressDisplay {
  /** Pass these to `trainAndEvaluate`. */
  callbacks: Required<TrainingCallbacks>;
  /** Shows the final state: epochs, time and, given a result, test accuracy. */
  finish(result?: ModelResult): Promise<void>;
}

/** The calls a notebook shows things with. */
export interface NotebookShow {
  /** Shows a DataFrame (as the kernel renders it, an HTML table), decimals rounded. */
  table(table: pl.DataFrame, options?: ShowTableOptions): Promise<void>;
  /** Shows a Vega-Lite chart: interactive where the front end can, a PNG elsewhere. */
  chart(spec: TopLevelSpec): Promise<void>;
  /** Shows Markdown. */
  markdown(text: string): Promise<void>;
  /** Shows preformatted text. */
  text(text: string): Promise<void>;
  /** Opens a display that follows a model's training, updated in place. */
  progress(label: string): Promise<ProgressDisplay>;
}

function formatPercent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

/** The current epoch as a text bar, or the status, or a waiting note. */
function progressHeadline(state: TrainingProgressState): string {
  if (state.batch) return formatProgressBar(state.batch, { label: state.label });
  return `${state.label}: ${state.status ?? "waiting for the first epoch"}`;
}

/**
 * Builds the progress display of one model's training: a headline (the
 * current epoch's bar, or the status) over a table of the finished epochs.
 *
 * @example
 * ```ts
 * const bundle = trainingProgressBundle({ label: "MLP", epochs: [summary], status: "training" });
 * bundle["text/html"]; // "<div>...</div><table>..."
 * ```
 */
export function trainingProgressBundle(state: TrainingProgressState): HtmlBundle {
  const headline = progressHeadline(state);
  const rows = state.epochs.map((summary) => ({
    epoch: `${summary.epoch}/${summary.epochs}`,
    loss: summary.loss,
    accuracy: summary.accuracy,
    valLoss: summary.valLoss,
    valAccuracy: summary.valAccuracy,
    learningRate: summary.learningRate,
    seconds: Number(summary.seconds.toFixed(1)),
    imagesPerSecond: Math.round(summary.imagesPerSecond),
  }));
  const table = rows.length > 0 ? renderHtmlTable(rows) : "";
  const lines = state.epochs.map((summary) => formatEpochLine(summary, state.label));
  return {
    "text/html": `<div><code>${escapeHtml(headline)}</code></div>${table}`,
    "text/plain": [headline, ...lines].join("\n"),
  };
}

function pause(milliseconds: number): Promise<void> {
  return milliseconds > 0
    ? new Promise((resolve) => setTimeout(resolve, milliseconds))
    : Promise.resolve();
}

/** The closing status: epochs, time and test accuracy. */
function finishedStatus(epochs: readonly EpochSummary[], result?: ModelResult): string {
  const seconds = result?.trainSeconds ?? epochs.reduce((sum, summary) => sum + summary.seconds, 0);
  const trained = `trained ${epochs.length} epochs in ${seconds.toFixed(1)} s`;
  if (!result) return trained;
  return `${trained}; test accuracy ${formatPercent(result.testAccuracy)}, test loss ${
    result.testLoss.toFixed(4)
  }`;
}

/** Opens a progress display; `send` shows the first state and updates it afterwards. */
async function openProgress(
  label: string,
  send: (bundle: HtmlBundle, update: boolean) => Promise<void>,
  batchIntervalMs: number,
): Promise<ProgressDisplay> {
  const epochs: EpochSummary[] = [];
  let lastBatchUpdate = -Infinity;
  await send(trainingProgressBundle({ label, epochs, status: "starting" }), false);
  const callbacks: Required<TrainingCallbacks> = {
    onBatchEnd: async (batch) => {
      const now = performance.now();
      if (now - lastBatchUpdate < batchIntervalMs) return;
      lastBatchUpdate = now;
      await send(trainingProgressBundle({ label, epochs, batch }), true);
    },
    onEpochEnd: async (summary) => {
      epochs.push(summary);
      lastBatchUpdate = performance.now();
      const status = summary.epoch === summary.epochs
        ? "evaluating on the test set"
        : "next epoch starting";
      await send(trainingProgressBundle({ label, epochs, status }), true);
    },
  };
  const finish = (result?: ModelResult) =>
    send(trainingProgressBundle({ label, epochs, status: finishedStatus(epochs, result) }), true);
  return { callbacks, finish };
}

/**
 * Wraps `Deno.jupyter.display` into the calls the notebooks use.
 *
 * @example
 * ```ts
 * const show = createNotebookShow(Deno.jupyter.display);
 * await show.table(compareModels(results));
 * await show.chart(trainingCurvesChart(results));
 * const progress = await show.progress("MLP");
 * const mlp = await trainAndEvaluate("mlp", prepared, { ...run.training.mlp, ...progress.callbacks });
 * await progress.finish(mlp.result);
 * ```
 */
export function createNotebookShow(
  display: JupyterDisplay,
  options: NotebookShowOptions = {},
): NotebookShow {
  const settleMs = options.settleMs ?? 100;
  const batchIntervalMs = options.batchIntervalMs ?? 2000;
  const send = async (value: unknown, displayOptions?: JupyterDisplayOptions) => {
    await display(value, displayOptions);
    await pause(settleMs);
  };
  return {
    table: (table, tableOptions = {}) => {
      const rounded = roundFloats(table, { digits: tableOptions.digits });
      return send(tableOptions.rows === undefined ? rounded : rounded.head(tableOptions.rows));
    },
    chart: async (spec) => send(await chartBundle(spec), { raw: true }),
    markdown: (text) => send({ "text/markdown": text, "text/plain": text }, { raw: true }),
    text: (text) => send({ "text/plain": text }, { raw: true }),
    progress: (label) => {
      const displayId = `progress-${crypto.randomUUID()}`;
      return openProgress(
        label,
        (bundle, update) => send(bundle, { raw: true, display_id: displayId, update }),
        batchIntervalMs,
      );
    },
  };
}
