/**
 * The layout of `report.html` for a run: which tables and charts of the
 * analysis go in which section, in what order, with what explanation.
 *
 * @module
 */
import {
  type ChanceLevelFinding,
  DEFAULT_CHANCE_MARGIN,
  describeChanceAccuracies,
} from "../evaluation/mod.ts";
import type { ModelResult } from "../results.ts";
import type { Analysis } from "./analysis.ts";
import type { ReportInput, ReportSection } from "./html_report.ts";
import { parameterParityNote, resultFacts } from "./notes.ts";

/** What the report says about the run besides the analysis. */
export interface RunDescription {
  /** Name of the data set. */
  dataset: string;
  /** Images in the training, validation and test splits. */
  counts: { train: number; validation: number; test: number };
  /** The backend's one-line description. */
  backend: string;
  /**
   * Labels of the models that trained on augmented images, when not every
   * model did; the augmentation section names them. Default: every model.
   */
  augmentedModels?: readonly string[];
  /**
   * The models whose validation or test accuracy is within the margin of
   * chance (findChanceLevelResults); their sections say so.
   */
  chanceLevel?: readonly ChanceLevelFinding[];
}

/**
 * The sentence a model's section adds when it reads held-out digits at
 * chance, as the train command's warning does.
 */
function chanceSentence(finding: ChanceLevelFinding | undefined): string {
  if (finding === undefined) return "";
  const margin = Math.round(DEFAULT_CHANCE_MARGIN * 100);
  return ` Its ${describeChanceAccuracies(finding)} ${
    finding.atChance.length > 1 ? "are" : "is"
  } within ${margin} points of always answering the most frequent class: too few training steps, ` +
    "for a batch-normalised model too few for its moving means and variances to settle. " +
    "Train on more images or for more epochs.";
}

function modelSection(
  result: ModelResult,
  analysis: Analysis,
  chance?: ChanceLevelFinding,
): ReportSection {
  const id = result.id;
  return {
    title: result.label,
    text: `Test accuracy ${(result.testAccuracy * 100).toFixed(2)}% after ${result.epochs} epochs.${
      chanceSentence(chance)
    }`,
    tables: [
      { title: "Classification report", table: analysis.tables[`classification_report_${id}`] },
      {
        title: "Most confused pairs",
        table: analysis.tables[`most_confused_${id}`],
        caption: "share is the count divided by the test images of the true class.",
      },
    ],
    charts: [
      { title: "Confusion matrix", spec: analysis.charts[`confusion_matrix_${id}`] },
      { title: "Sample test predictions", spec: analysis.charts[`sample_predictions_${id}`] },
      { title: "Misclassified test digits", spec: analysis.charts[`misclassified_${id}`] },
    ],
  };
}

/** Says a model's ECE, and its temperature and scaled ECE when one was fitted. */
function calibrationText(id: string, analysis: Analysis): string {
  const percent = (value: number) => `${(value * 100).toFixed(2)}%`;
  const row = (analysis.tables.calibration?.toRecords() as Record<string, unknown>[] | undefined)
    ?.find((record) => record.model === id);
  const ece = row?.testEce as number | undefined;
  const before = ece === undefined
    ? ""
    : `Expected calibration error on the test set: ${percent(ece)} as trained`;
  const temperature = row?.temperature as number | null | undefined;
  const after = temperature == null
    ? "."
    : `; ${percent(row!.scaledTestEce as number)} after temperature scaling with T = ${
      temperature.toFixed(3)
    }, fitted on the validation split.`;
  return `${before}${after} Bins: 15 of equal width in confidence (Guo et al. 2017). ` +
    "Points below the diagonal are bins where the model is more confident than it is accurate.";
}

/** The calibration of one model, when the analysis holds it. */
function calibrationSection(result: ModelResult, analysis: Analysis): ReportSection[] {
  const table = analysis.tables[`calibration_${result.id}`];
  const chart = analysis.charts[`reliability_${result.id}`];
  if (table === undefined || chart === undefined) return [];
  return [{
    title: `Calibration: ${result.label}`,
    text: calibrationText(result.id, analysis),
    tables: [{
      title: "Confidence bins on the test set, as trained",
      table,
      caption:
        "confidence is the mean probability of the predicted class; gap is accuracy minus confidence.",
    }],
    charts: [{ title: "Reliability diagram", spec: chart }],
  }];
}

function comparisonSections(analysis: Analysis): ReportSection[] {
  const agreement = analysis.tables.agreement;
  return [
    {
      title: "Comparison",
      tables: [
        { title: "Models side by side", table: analysis.tables.comparison },
        ...(analysis.tables.calibration
          ? [{
            title: "Calibration",
            table: analysis.tables.calibration,
            caption:
              "testEce: expected calibration error on the test set in 15 equal-width bins (Guo et al. 2017); " +
              "temperature: T fitted on the validation split by minimising its NLL; scaled: after dividing log-probabilities by T.",
          }]
          : []),
      ],
      charts: [{ title: "Training curves", spec: analysis.charts.training_curves }],
    },
    {
      title: "Where they fail",
      tables: [
        { title: "Error rate per class", table: analysis.tables.per_class_errors },
        ...(agreement
          ? [{ title: "Which model gets each test image right", table: agreement }]
          : []),
      ],
      charts: [{ title: "Error rate per class", spec: analysis.charts.per_class_errors }],
    },
  ];
}

/** The sections about seeds and augmentation, for those the analysis holds. */
function experimentSections(analysis: Analysis, run: RunDescription): ReportSection[] {
  const { tables, charts } = analysis;
  const sections: ReportSection[] = [];
  if (tables.seed_summary || tables.mcnemar) {
    sections.push({
      title: "Across seeds",
      text: "Each model was trained once per seed on the same splits. The interval is the 95% " +
        "t interval of the mean over seeds: mean ± t(0.975, n-1)·s/√n. Pairs of models are " +
        "compared with McNemar's exact test on the test images only one of them gets right, " +
        "seed by seed: pooling the counts over seeds would count each test image once per " +
        "seed as if it were new, and make p-values too small.",
      tables: [
        ...(tables.seed_summary
          ? [{ title: "Test accuracy over seeds", table: tables.seed_summary }]
          : []),
        ...(tables.model_pairs
          ? [{
            title: "Pairs of models",
            table: tables.model_pairs,
            caption: "difference is first minus second; an interval that holds 0 says the " +
              "seeds alone could explain it.",
          }]
          : []),
        ...(tables.mcnemar ? [{ title: "McNemar's test per seed", table: tables.mcnemar }] : []),
      ],
      charts: charts.seed_accuracies
        ? [{ title: "Test accuracy per seed", spec: charts.seed_accuracies }]
        : [],
    });
  }
  if (charts.augmentation) {
    sections.push({
      title: "Augmentation",
      text: `${
        run.augmentedModels
          ? `${run.augmentedModels.join(", ")} (the others trained on the images as they are): each`
          : "Each"
      } epoch trained on new random distortions of the training images; ` +
        "validation and test images were used as they are.",
      charts: [{
        title: "One training digit and its augmented versions",
        spec: charts.augmentation,
      }],
    });
  }
  return sections;
}

/**
 * Lays out the report of a run from its results and analysis.
 *
 * @example
 * ```ts
 * const html = await buildReport(describeReport(results, analysis, run));
 * ```
 */
export function describeReport(
  results: readonly ModelResult[],
  analysis: Analysis,
  run: RunDescription,
): ReportInput {
  const { train, validation, test } = run.counts;
  const parity = parameterParityNote(results);
  return {
    title: `${run.dataset === "mnist" ? "MNIST" : run.dataset}: ${
      results.map((r) => r.label).join(" vs ")
    }`,
    dataset: `${run.dataset}: ${train.toLocaleString("en")} training, ${
      validation.toLocaleString("en")
    } validation and ${test.toLocaleString("en")} test images; tfjs backend ${run.backend}.`,
    summary: resultFacts(results),
    sections: [
      ...comparisonSections(analysis),
      ...experimentSections(analysis, run),
      ...results.flatMap((result) => [
        modelSection(
          result,
          analysis,
          run.chanceLevel?.find((finding) => finding.id === result.id),
        ),
        ...calibrationSection(result, analysis),
      ]),
    ],
    notes: [
      ...(parity ? [parity] : []),
      "Validation images are the last part of the training set, held out before shuffling, as Keras' validation_split does.",
    ],
    generatedAt: new Date(),
  };
}
