/**
 * Your own digits: decoding PNG and JPEG files, preparing a picture the way
 * MNIST was made (the one preprocessing the command line and the page
 * share), cutting a number written in a row into its digits, reading the
 * digits with a model, saving the 28x28 images the pictures became,
 * reading a CSV file's rows and writing Kaggle's submission, and the
 * draw-a-digit page's server.
 *
 * @example
 * ```ts
 * import { predictImageFiles } from "./lib/digits/mod.ts";
 * import { loadModel } from "./lib/models/mod.ts";
 *
 * const cnn = await loadModel("out/models/cnn");
 * for await (const result of predictImageFiles(cnn, ["seven.png"])) console.log(result);
 * ```
 *
 * @module
 */
export * from "./digit_preprocess.js";
export * from "./image_decode.ts";
export { type NumberDigit, segmentNumber, selectNumberDigits } from "./number_segment.js";
export * from "./predict_digits.ts";
export * from "./predict_files.ts";
export * from "./predict_csv.ts";
export * from "./submission.ts";
export * from "./input_images.ts";
export * from "./predict_numbers.ts";
export * from "./serve.ts";
