;; Hand-written WebAssembly SIMD loops for the memory-bound passes of the
;; fast backends, where JS loops (or the stock kernels' general index loops)
;; cost about as much as the matrix products around them: im2col and col2im,
;; max pooling and its gradient, the bias add and bias-gradient sums, ReLU's
;; gradient, batch normalisation's passes, and Adam's update. The module
;; imports the stock wasm backend's memory, so every pointer is a byte offset
;; into the tfjs heap, and works on float32 NHWC data, four channels per
;; instruction where it can.
;;
;; Geometry of a convolution or pooling, read through a pointer to 11 int32
;; (see geometryWords in ../im2col.ts): inHeight, inWidth, channels,
;; outHeight, outWidth, strideHeight, strideWidth, filterHeight,
;; filterWidth, padTop, padLeft.
;;
;; Compiled by build.ts into kernels_wasm.ts; tests/backend_simd_test.ts
;; fails when the two differ.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; dst[i] = src[i] over $bytes bytes (a multiple of 4), for runs that do
  ;; not overlap. Inline loops instead of memory.copy, which V8 runs as a
  ;; call out of the module: im2col copies runs as short as 12 bytes (the
  ;; first convolution's 3 taps of one channel), hundreds of thousands a batch.
  (func $copy_run (param $dst i32) (param $src i32) (param $bytes i32)
    (local $end i32) (local $vec_end i32)
    (local.set $end (i32.add (local.get $dst) (local.get $bytes)))
    (local.set $vec_end (i32.add (local.get $dst) (i32.and (local.get $bytes) (i32.const -16))))
    (block $vec_done
      (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $dst) (local.get $vec_end)))
        (v128.store (local.get $dst) (v128.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $vec)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (i32.store (local.get $dst) (i32.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $tail))))

  ;; dst[i] = 0 over $bytes bytes (a multiple of 4), inline for the same reason.
  (func $zero_run (param $dst i32) (param $bytes i32)
    (local $end i32) (local $vec_end i32)
    (local.set $end (i32.add (local.get $dst) (local.get $bytes)))
    (local.set $vec_end (i32.add (local.get $dst) (i32.and (local.get $bytes) (i32.const -16))))
    (block $vec_done
      (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $dst) (local.get $vec_end)))
        (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $vec)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (i32.store (local.get $dst) (i32.const 0))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $tail))))

  ;; dst[i] += src[i] over $bytes bytes (a multiple of 4).
  (func $add_run (param $dst i32) (param $src i32) (param $bytes i32)
    (local $end i32) (local $vec_end i32)
    (local.set $end (i32.add (local.get $dst) (local.get $bytes)))
    (local.set $vec_end (i32.add (local.get $dst) (i32.and (local.get $bytes) (i32.const -16))))
    (block $vec_done
      (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $dst) (local.get $vec_end)))
        (v128.store (local.get $dst)
          (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $vec)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst)
          (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $tail))))

  ;; out[r, c] = x[r, c] + bias[c] for rows r < $rows, columns c < $columns:
  ;; a layer's bias added to every pixel or example; then, when $relu is 1,
  ;; max(., 0) with NaN kept (as tfjs's Relu): the epilogue of a product.
  (func (export "add_bias")
    (param $out i32) (param $x i32) (param $bias i32) (param $rows i32) (param $columns i32)
    (param $relu i32)
    (local $r i32) (local $c i32) (local $vec_columns i32) (local $at i32) (local $v v128)
    (local $s f32)
    (local.set $vec_columns (i32.and (local.get $columns) (i32.const -4)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $c) (local.get $vec_columns)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (local.set $v (f32x4.add (v128.load (i32.add (local.get $x) (local.get $at)))
              (v128.load (i32.add (local.get $bias) (local.get $at)))))
            (if (local.get $relu)
              (then
                (local.set $v (v128.bitselect (f32x4.splat (f32.const 0)) (local.get $v)
                  (f32x4.lt (local.get $v) (f32x4.splat (f32.const 0)))))))
            (v128.store (i32.add (local.get $out) (local.get $at)) (local.get $v))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vec)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $c) (local.get $columns)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (local.set $s (f32.add (f32.load (i32.add (local.get $x) (local.get $at)))
              (f32.load (i32.add (local.get $bias) (local.get $at)))))
            (if (i32.and (local.get $relu) (f32.lt (local.get $s) (f32.const 0)))
              (then (local.set $s (f32.const 0))))
            (f32.store (i32.add (local.get $out) (local.get $at)) (local.get $s))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $columns) (i32.const 2))))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $columns) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; Zeroes $count floats from byte $at with memory.fill, which V8 runs as
  ;; one memset: TypedArray.fill on the shared heap took 0.15 ms for 2 MB
  ;; here, this 0.02 to 0.05 ms (measured).
  (func (export "zero") (param $at i32) (param $count i32)
    (memory.fill (local.get $at) (i32.const 0) (i32.shl (local.get $count) (i32.const 2))))

  ;; out = dy * step(x), step being 1 above 0, 0 at or below, NaN for NaN:
  ;; ReLU's gradient as tfjs defines it, in one pass over n floats.
  (func (export "relu_grad") (param $out i32) (param $dy i32) (param $x i32) (param $n i32)
    (local $end i32) (local $vec_end i32) (local $v v128) (local $xs f32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vec_end
      (i32.add (local.get $out) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vec_done
      (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $out) (local.get $vec_end)))
        (local.set $v (v128.load (local.get $x)))
        (v128.store (local.get $out)
          (f32x4.mul (v128.load (local.get $dy))
            (v128.bitselect
              (v128.and (f32x4.splat (f32.const 1)) (f32x4.gt (local.get $v) (f32x4.splat (f32.const 0))))
              (f32x4.splat (f32.const nan))
              (f32x4.eq (local.get $v) (local.get $v)))))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $vec)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $xs (f32.load (local.get $x)))
        (f32.store (local.get $out)
          (f32.mul (f32.load (local.get $dy))
            (select (f32.const 1)
              (select (f32.const 0) (f32.const nan) (f32.eq (local.get $xs) (local.get $xs)))
              (f32.gt (local.get $xs) (f32.const 0)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $tail))))

  ;; im2col of one NHWC image with dilation 1: for each output pixel and
  ;; filter row, the taps in range are one run of the input row, copied, and
  ;; taps outside the image are zeroed. $geometry points to
  ;; the same 11 int32 as for max_pool_grad_image. Returns the byte offset
  ;; just past the image's rows of the column matrix.
  (func (export "im2col_image") (param $x i32) (param $cols i32) (param $geometry i32) (result i32)
    (local $in_h i32) (local $in_w i32) (local $out_h i32) (local $out_w i32)
    (local $stride_h i32) (local $stride_w i32) (local $filter_h i32) (local $filter_w i32)
    (local $pad_top i32) (local $pad_left i32) (local $pixel i32) (local $run i32) (local $row i32)
    (local $oy i32) (local $ox i32) (local $fy i32) (local $iy i32) (local $ix0 i32)
    (local $first i32) (local $end i32) (local $tail i32) (local $inside i32) (local $src i32)
    (local $i i32)
    (local.set $in_h (i32.load offset=0 (local.get $geometry)))
    (local.set $in_w (i32.load offset=4 (local.get $geometry)))
    (local.set $pixel (i32.shl (i32.load offset=8 (local.get $geometry)) (i32.const 2)))
    (local.set $out_h (i32.load offset=12 (local.get $geometry)))
    (local.set $out_w (i32.load offset=16 (local.get $geometry)))
    (local.set $stride_h (i32.load offset=20 (local.get $geometry)))
    (local.set $stride_w (i32.load offset=24 (local.get $geometry)))
    (local.set $filter_h (i32.load offset=28 (local.get $geometry)))
    (local.set $filter_w (i32.load offset=32 (local.get $geometry)))
    (local.set $pad_top (i32.load offset=36 (local.get $geometry)))
    (local.set $pad_left (i32.load offset=40 (local.get $geometry)))
    (local.set $run (i32.mul (local.get $filter_w) (local.get $pixel)))
    (local.set $row (i32.mul (local.get $in_w) (local.get $pixel)))
    (block $oy_done
      (loop $oy_loop
        (br_if $oy_done (i32.ge_s (local.get $oy) (local.get $out_h)))
        (local.set $ox (i32.const 0))
        (block $ox_done
          (loop $ox_loop
            (br_if $ox_done (i32.ge_s (local.get $ox) (local.get $out_w)))
            (local.set $ix0 (i32.sub (i32.mul (local.get $ox) (local.get $stride_w)) (local.get $pad_left)))
            (local.set $first (i32.sub (i32.const 0) (local.get $ix0)))
            (if (i32.lt_s (local.get $first) (i32.const 0)) (then (local.set $first (i32.const 0))))
            (local.set $end (i32.sub (local.get $in_w) (local.get $ix0)))
            (if (i32.gt_s (local.get $end) (local.get $filter_w)) (then (local.set $end (local.get $filter_w))))
            (local.set $tail (local.get $end))
            (if (i32.lt_s (local.get $tail) (local.get $first)) (then (local.set $tail (local.get $first))))
            (local.set $inside
              (i32.and (i32.eqz (local.get $first)) (i32.eq (local.get $end) (local.get $filter_w))))
            (local.set $fy (i32.const 0))
            (block $fy_done
              (loop $fy_loop
                (br_if $fy_done (i32.ge_s (local.get $fy) (local.get $filter_h)))
                (local.set $iy
                  (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $stride_h)) (local.get $pad_top))
                    (local.get $fy)))
                (if (i32.or (i32.lt_s (local.get $iy) (i32.const 0)) (i32.ge_s (local.get $iy) (local.get $in_h)))
                  (then (call $zero_run (local.get $cols) (local.get $run)))
                  (else (if (local.get $inside)
                  (then
                    ;; The whole run is inside the image: copied inline (the first
                    ;; convolution's forward pass at batch 64, 12-byte runs, 10th
                    ;; percentile: 1.55 ms with memory.copy per run, 0.85 ms with
                    ;; a call of $copy_run, 0.65 ms inline).
                    (local.set $src
                      (i32.add (i32.add (local.get $x) (i32.mul (local.get $iy) (local.get $row)))
                        (i32.mul (local.get $ix0) (local.get $pixel))))
                    (local.set $i (i32.const 0))
                    (block $vec_done
                      (loop $vec
                        (br_if $vec_done
                          (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $run)))
                        (v128.store (i32.add (local.get $cols) (local.get $i))
                          (v128.load (i32.add (local.get $src) (local.get $i))))
                        (local.set $i (i32.add (local.get $i) (i32.const 16)))
                        (br $vec)))
                    (block $words_done
                      (loop $words
                        (br_if $words_done (i32.ge_u (local.get $i) (local.get $run)))
                        (i32.store (i32.add (local.get $cols) (local.get $i))
                          (i32.load (i32.add (local.get $src) (local.get $i))))
                        (local.set $i (i32.add (local.get $i) (i32.const 4)))
                        (br $words))))
                  (else
                    (call $zero_run (local.get $cols) (i32.mul (local.get $first) (local.get $pixel)))
                    (if (i32.gt_s (local.get $end) (local.get $first))
                      (then
                        (call $copy_run
                          (i32.add (local.get $cols) (i32.mul (local.get $first) (local.get $pixel)))
                          (i32.add (i32.add (local.get $x) (i32.mul (local.get $iy) (local.get $row)))
                            (i32.mul (i32.add (local.get $ix0) (local.get $first)) (local.get $pixel)))
                          (i32.mul (i32.sub (local.get $end) (local.get $first)) (local.get $pixel)))))
                    (call $zero_run
                      (i32.add (local.get $cols) (i32.mul (local.get $tail) (local.get $pixel)))
                      (i32.mul (i32.sub (local.get $filter_w) (local.get $tail)) (local.get $pixel)))))))
                (local.set $cols (i32.add (local.get $cols) (local.get $run)))
                (local.set $fy (i32.add (local.get $fy) (i32.const 1)))
                (br $fy_loop)))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (br $ox_loop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oy_loop)))
    (local.get $cols))

  ;; out[c] = sum over rows r of x[r, c], for $rows rows of $columns floats,
  ;; accumulated in float32 in $out (which the caller zeroes): the gradient
  ;; of a bias.
  (func (export "column_sum") (param $out i32) (param $x i32) (param $rows i32) (param $columns i32)
    (local $r i32) (local $c i32) (local $vec_columns i32) (local $at i32)
    (local.set $vec_columns (i32.and (local.get $columns) (i32.const -4)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $c) (local.get $vec_columns)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (v128.store (i32.add (local.get $out) (local.get $at))
              (f32x4.add (v128.load (i32.add (local.get $out) (local.get $at)))
                (v128.load (i32.add (local.get $x) (local.get $at)))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vec)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $c) (local.get $columns)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (f32.store (i32.add (local.get $out) (local.get $at))
              (f32.add (f32.load (i32.add (local.get $out) (local.get $at)))
                (f32.load (i32.add (local.get $x) (local.get $at)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $columns) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

;; out[c] += sum over rows r of (x[r, c] - mean[c]) * y[r, c], for $rows
  ;; rows of $columns floats, accumulated in float32 in $out (which the
  ;; caller zeroes): with y = x the sum of squares of a batch's variance, with
  ;; y = dy the sum that batch normalisation's gradient needs.
  (func (export "column_centred_products")
    (param $out i32) (param $x i32) (param $y i32) (param $mean i32) (param $rows i32) (param $columns i32)
    (local $r i32) (local $c i32) (local $vec_columns i32) (local $at i32) (local $row_bytes i32)
    (local.set $vec_columns (i32.and (local.get $columns) (i32.const -4)))
    (local.set $row_bytes (i32.shl (local.get $columns) (i32.const 2)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $c) (local.get $vec_columns)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (v128.store (i32.add (local.get $out) (local.get $at))
              (f32x4.add (v128.load (i32.add (local.get $out) (local.get $at)))
                (f32x4.mul
                  (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $at)))
                    (v128.load (i32.add (local.get $mean) (local.get $at))))
                  (v128.load (i32.add (local.get $y) (local.get $at))))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vec)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $c) (local.get $columns)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (f32.store (i32.add (local.get $out) (local.get $at))
              (f32.add (f32.load (i32.add (local.get $out) (local.get $at)))
                (f32.mul
                  (f32.sub (f32.load (i32.add (local.get $x) (local.get $at)))
                    (f32.load (i32.add (local.get $mean) (local.get $at))))
                  (f32.load (i32.add (local.get $y) (local.get $at))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))
        (local.set $x (i32.add (local.get $x) (local.get $row_bytes)))
        (local.set $y (i32.add (local.get $y) (local.get $row_bytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; out[r, c] = x[r, c] * scale[c] + shift[c] for $rows rows of $columns
  ;; floats: batch normalisation's forward pass, its statistics folded into
  ;; scale and shift.
  (func (export "scale_shift")
    (param $out i32) (param $x i32) (param $scale i32) (param $shift i32) (param $rows i32) (param $columns i32)
    (local $r i32) (local $c i32) (local $vec_columns i32) (local $at i32) (local $row_bytes i32)
    (local.set $vec_columns (i32.and (local.get $columns) (i32.const -4)))
    (local.set $row_bytes (i32.shl (local.get $columns) (i32.const 2)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $c) (local.get $vec_columns)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (v128.store (i32.add (local.get $out) (local.get $at))
              (f32x4.add
                (f32x4.mul (v128.load (i32.add (local.get $x) (local.get $at)))
                  (v128.load (i32.add (local.get $scale) (local.get $at))))
                (v128.load (i32.add (local.get $shift) (local.get $at)))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vec)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $c) (local.get $columns)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (f32.store (i32.add (local.get $out) (local.get $at))
              (f32.add
                (f32.mul (f32.load (i32.add (local.get $x) (local.get $at)))
                  (f32.load (i32.add (local.get $scale) (local.get $at))))
                (f32.load (i32.add (local.get $shift) (local.get $at)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))
        (local.set $out (i32.add (local.get $out) (local.get $row_bytes)))
        (local.set $x (i32.add (local.get $x) (local.get $row_bytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; out[r, c] = a[c] * dy[r, c] + b[c] * (x[r, c] - mean[c]) + k[c] for $rows
  ;; rows of $columns floats, a, b and k being $columns floats each, back to
  ;; back at $coefficients: batch normalisation's input gradient.
  (func (export "batch_norm_dx")
    (param $out i32) (param $dy i32) (param $x i32) (param $mean i32) (param $coefficients i32)
    (param $rows i32) (param $columns i32)
    (local $r i32) (local $c i32) (local $vec_columns i32) (local $at i32) (local $row_bytes i32)
    (local $b i32) (local $k i32)
    (local.set $vec_columns (i32.and (local.get $columns) (i32.const -4)))
    (local.set $row_bytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $b (i32.add (local.get $coefficients) (local.get $row_bytes)))
    (local.set $k (i32.add (local.get $b) (local.get $row_bytes)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $c) (local.get $vec_columns)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (v128.store (i32.add (local.get $out) (local.get $at))
              (f32x4.add
                (f32x4.add
                  (f32x4.mul (v128.load (i32.add (local.get $coefficients) (local.get $at)))
                    (v128.load (i32.add (local.get $dy) (local.get $at))))
                  (f32x4.mul (v128.load (i32.add (local.get $b) (local.get $at)))
                    (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $at)))
                      (v128.load (i32.add (local.get $mean) (local.get $at))))))
                (v128.load (i32.add (local.get $k) (local.get $at)))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $vec)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $c) (local.get $columns)))
            (local.set $at (i32.shl (local.get $c) (i32.const 2)))
            (f32.store (i32.add (local.get $out) (local.get $at))
              (f32.add
                (f32.add
                  (f32.mul (f32.load (i32.add (local.get $coefficients) (local.get $at)))
                    (f32.load (i32.add (local.get $dy) (local.get $at))))
                  (f32.mul (f32.load (i32.add (local.get $b) (local.get $at)))
                    (f32.sub (f32.load (i32.add (local.get $x) (local.get $at)))
                      (f32.load (i32.add (local.get $mean) (local.get $at))))))
                (f32.load (i32.add (local.get $k) (local.get $at)))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $tail)))
        (local.set $out (i32.add (local.get $out) (local.get $row_bytes)))
        (local.set $dy (i32.add (local.get $dy) (local.get $row_bytes)))
        (local.set $x (i32.add (local.get $x) (local.get $row_bytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

    ;; The adjoint of im2col_image: adds the column matrix rows of one image
  ;; (dilation 1) back onto its input-shaped gradient at $dx. Returns the
  ;; byte offset just past the image's rows of the column matrix.
  (func (export "col2im_image") (param $dx i32) (param $cols i32) (param $geometry i32) (result i32)
    (local $in_h i32) (local $in_w i32) (local $out_h i32) (local $out_w i32)
    (local $stride_h i32) (local $stride_w i32) (local $filter_h i32) (local $filter_w i32)
    (local $pad_top i32) (local $pad_left i32) (local $pixel i32) (local $run i32) (local $row i32)
    (local $oy i32) (local $ox i32) (local $fy i32) (local $iy i32) (local $ix0 i32)
    (local $first i32) (local $end i32)
    (local.set $in_h (i32.load offset=0 (local.get $geometry)))
    (local.set $in_w (i32.load offset=4 (local.get $geometry)))
    (local.set $pixel (i32.shl (i32.load offset=8 (local.get $geometry)) (i32.const 2)))
    (local.set $out_h (i32.load offset=12 (local.get $geometry)))
    (local.set $out_w (i32.load offset=16 (local.get $geometry)))
    (local.set $stride_h (i32.load offset=20 (local.get $geometry)))
    (local.set $stride_w (i32.load offset=24 (local.get $geometry)))
    (local.set $filter_h (i32.load offset=28 (local.get $geometry)))
    (local.set $filter_w (i32.load offset=32 (local.get $geometry)))
    (local.set $pad_top (i32.load offset=36 (local.get $geometry)))
    (local.set $pad_left (i32.load offset=40 (local.get $geometry)))
    (local.set $run (i32.mul (local.get $filter_w) (local.get $pixel)))
    (local.set $row (i32.mul (local.get $in_w) (local.get $pixel)))
    (block $oy_done
      (loop $oy_loop
        (br_if $oy_done (i32.ge_s (local.get $oy) (local.get $out_h)))
        (local.set $ox (i32.const 0))
        (block $ox_done
          (loop $ox_loop
            (br_if $ox_done (i32.ge_s (local.get $ox) (local.get $out_w)))
            (local.set $ix0 (i32.sub (i32.mul (local.get $ox) (local.get $stride_w)) (local.get $pad_left)))
            (local.set $first (i32.sub (i32.const 0) (local.get $ix0)))
            (if (i32.lt_s (local.get $first) (i32.const 0)) (then (local.set $first (i32.const 0))))
            (local.set $end (i32.sub (local.get $in_w) (local.get $ix0)))
            (if (i32.gt_s (local.get $end) (local.get $filter_w)) (then (local.set $end (local.get $filter_w))))
            (local.set $fy (i32.const 0))
            (block $fy_done
              (loop $fy_loop
                (br_if $fy_done (i32.ge_s (local.get $fy) (local.get $filter_h)))
                (local.set $iy
                  (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $stride_h)) (local.get $pad_top))
                    (local.get $fy)))
                (if (i32.and
                      (i32.and (i32.ge_s (local.get $iy) (i32.const 0)) (i32.lt_s (local.get $iy) (local.get $in_h)))
                      (i32.gt_s (local.get $end) (local.get $first)))
                  (then
                    (call $add_run
                      (i32.add (i32.add (local.get $dx) (i32.mul (local.get $iy) (local.get $row)))
                        (i32.mul (i32.add (local.get $ix0) (local.get $first)) (local.get $pixel)))
                      (i32.add (local.get $cols) (i32.mul (local.get $first) (local.get $pixel)))
                      (i32.mul (i32.sub (local.get $end) (local.get $first)) (local.get $pixel)))))
                (local.set $cols (i32.add (local.get $cols) (local.get $run)))
                (local.set $fy (i32.add (local.get $fy) (i32.const 1)))
                (br $fy_loop)))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (br $ox_loop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oy_loop)))
    (local.get $cols))

  ;; The maximum of a full 2x2 window for channels 0 .. $end - 1 (a multiple
  ;; of 4), by the same strict comparison from -Infinity: pmax(best, v) is
  ;; "best < v ? v : best", one instruction that keeps the first of equal
  ;; values and never takes NaN. $at is the byte offset of the window's
  ;; top-left input, $step and $down the bytes to the next column and row.
  ;; Stores at $out.
  (func $max2x2 (param $at i32) (param $out i32) (param $end i32) (param $step i32) (param $down i32)
    (local $c i32) (local $best v128)
    (block $done
      (loop $group
        (br_if $done (i32.ge_s (local.get $c) (local.get $end)))
        (local.set $best (f32x4.pmax (f32x4.splat (f32.const -inf)) (v128.load (local.get $at))))
        (local.set $best (f32x4.pmax (local.get $best)
          (v128.load (i32.add (local.get $at) (local.get $step)))))
        (local.set $best (f32x4.pmax (local.get $best)
          (v128.load (i32.add (local.get $at) (local.get $down)))))
        (local.set $best (f32x4.pmax (local.get $best)
          (v128.load (i32.add (local.get $at) (i32.add (local.get $down) (local.get $step))))))
        (v128.store (local.get $out) (local.get $best))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $group))))

;; $max2x2 that also writes each output's winner as a byte to $winners:
  ;; 0 to 3 for the first input of the window equal to the output (row
  ;; major, as MaxPoolGrad's rule finds it), 4 when the output is -Infinity
  ;; (no input takes a gradient), plus 8 when the output is above 0 (ReLU's
  ;; gradient passes there when the input is a ReLU's output).
  (func $max2x2_winners
    (param $at i32) (param $out i32) (param $winners i32) (param $end i32) (param $step i32)
    (param $down i32)
    (local $c i32) (local $best v128) (local $v0 v128) (local $v1 v128) (local $v2 v128)
    (local $v3 v128) (local $a v128) (local $b v128) (local $e v128) (local $d v128)
    (local $winner v128)
    (block $done
      (loop $group
        (br_if $done (i32.ge_s (local.get $c) (local.get $end)))
        (local.set $v0 (v128.load (local.get $at)))
        (local.set $v1 (v128.load (i32.add (local.get $at) (local.get $step))))
        (local.set $v2 (v128.load (i32.add (local.get $at) (local.get $down))))
        (local.set $v3 (v128.load (i32.add (local.get $at) (i32.add (local.get $down) (local.get $step)))))
        ;; The running maximum and its index, by strict comparison from
        ;; -Infinity (4: nothing beat it yet).
        (local.set $a (f32x4.gt (local.get $v0) (f32x4.splat (f32.const -inf))))
        (local.set $best (v128.bitselect (local.get $v0) (f32x4.splat (f32.const -inf)) (local.get $a)))
        (local.set $winner (v128.andnot (i32x4.splat (i32.const 4)) (local.get $a)))
        (local.set $b (f32x4.gt (local.get $v1) (local.get $best)))
        (local.set $best (v128.bitselect (local.get $v1) (local.get $best) (local.get $b)))
        (local.set $winner (v128.bitselect (i32x4.splat (i32.const 1)) (local.get $winner) (local.get $b)))
        (local.set $e (f32x4.gt (local.get $v2) (local.get $best)))
        (local.set $best (v128.bitselect (local.get $v2) (local.get $best) (local.get $e)))
        (local.set $winner (v128.bitselect (i32x4.splat (i32.const 2)) (local.get $winner) (local.get $e)))
        (local.set $d (f32x4.gt (local.get $v3) (local.get $best)))
        (local.set $best (v128.bitselect (local.get $v3) (local.get $best) (local.get $d)))
        (local.set $winner (v128.bitselect (i32x4.splat (i32.const 3)) (local.get $winner) (local.get $d)))
        (v128.store (local.get $out) (local.get $best))
        (local.set $winner
          (v128.or (local.get $winner)
            (v128.and (f32x4.gt (local.get $best) (f32x4.splat (f32.const 0)))
              (i32x4.splat (i32.const 8)))))
        (local.set $winner (i16x8.narrow_i32x4_u (local.get $winner) (local.get $winner)))
        (v128.store32_lane 0 (local.get $winners)
          (i8x16.narrow_i16x8_u (local.get $winner) (local.get $winner)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $winners (i32.add (local.get $winners) (i32.const 4)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $group))))

  ;; MaxPool of one NHWC image in full, disjoint 2x2 windows (2x2 filter,
  ;; stride 2, no padding; channels a multiple of 4), writing each output's
  ;; winner byte (see $max2x2_winners) to $winners, one per output, for
  ;; max_pool_grad_winners_image. $geometry as for max_pool_grad_image.
  (func (export "max_pool_2x2_winners_image")
    (param $x i32) (param $out i32) (param $winners i32) (param $geometry i32)
    (local $in_w i32) (local $channels i32) (local $out_h i32) (local $out_w i32)
    (local $oy i32) (local $ox i32) (local $step i32) (local $row i32) (local $run i32)
    (local.set $in_w (i32.load offset=4 (local.get $geometry)))
    (local.set $channels (i32.load offset=8 (local.get $geometry)))
    (local.set $out_h (i32.load offset=12 (local.get $geometry)))
    (local.set $out_w (i32.load offset=16 (local.get $geometry)))
    (local.set $step (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $row (i32.mul (local.get $in_w) (local.get $step)))
    (block $oy_done
      (loop $oy_loop
        (br_if $oy_done (i32.ge_s (local.get $oy) (local.get $out_h)))
        (local.set $run (i32.add (local.get $x) (i32.mul (i32.shl (local.get $oy) (i32.const 1)) (local.get $row))))
        (local.set $ox (i32.const 0))
        (block $ox_done
          (loop $ox_loop
            (br_if $ox_done (i32.ge_s (local.get $ox) (local.get $out_w)))
            (call $max2x2_winners (local.get $run) (local.get $out) (local.get $winners)
              (local.get $channels) (local.get $step) (local.get $row))
            (local.set $run (i32.add (local.get $run) (i32.shl (local.get $step) (i32.const 1))))
            (local.set $out (i32.add (local.get $out) (local.get $step)))
            (local.set $winners (i32.add (local.get $winners) (local.get $channels)))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (br $ox_loop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oy_loop))))

  ;; MaxPool of one NHWC image: each output is its window's largest input
  ;; by strict comparison from -Infinity (NaN ignored, an all -Infinity or
  ;; empty window gives -Infinity), as tfjs's cpu backend computes it; 4
  ;; channels at a time. $geometry as for max_pool_grad_image.
  (func (export "max_pool_image") (param $x i32) (param $out i32) (param $geometry i32)
    (local $in_h i32) (local $in_w i32) (local $channels i32) (local $out_h i32)
    (local $out_w i32) (local $stride_h i32) (local $stride_w i32)
    (local $filter_h i32) (local $filter_w i32) (local $pad_top i32) (local $pad_left i32)
    (local $oy i32) (local $ox i32) (local $y0 i32) (local $y1 i32) (local $x0 i32) (local $x1 i32)
    (local $iy i32) (local $ix i32) (local $c i32) (local $vec_channels i32) (local $at i32)
    (local $best v128) (local $value v128) (local $best1 f32) (local $value1 f32)
    (local.set $in_h (i32.load offset=0 (local.get $geometry)))
    (local.set $in_w (i32.load offset=4 (local.get $geometry)))
    (local.set $channels (i32.load offset=8 (local.get $geometry)))
    (local.set $out_h (i32.load offset=12 (local.get $geometry)))
    (local.set $out_w (i32.load offset=16 (local.get $geometry)))
    (local.set $stride_h (i32.load offset=20 (local.get $geometry)))
    (local.set $stride_w (i32.load offset=24 (local.get $geometry)))
    (local.set $filter_h (i32.load offset=28 (local.get $geometry)))
    (local.set $filter_w (i32.load offset=32 (local.get $geometry)))
    (local.set $pad_top (i32.load offset=36 (local.get $geometry)))
    (local.set $pad_left (i32.load offset=40 (local.get $geometry)))
    (local.set $vec_channels (i32.and (local.get $channels) (i32.const -4)))
    (block $oy_done
      (loop $oy_loop
        (br_if $oy_done (i32.ge_s (local.get $oy) (local.get $out_h)))
        (local.set $y0 (i32.sub (i32.mul (local.get $oy) (local.get $stride_h)) (local.get $pad_top)))
        (local.set $y1 (i32.add (local.get $y0) (local.get $filter_h)))
        (if (i32.lt_s (local.get $y0) (i32.const 0)) (then (local.set $y0 (i32.const 0))))
        (if (i32.gt_s (local.get $y1) (local.get $in_h)) (then (local.set $y1 (local.get $in_h))))
        (local.set $ox (i32.const 0))
        (block $ox_done
          (loop $ox_loop
            (br_if $ox_done (i32.ge_s (local.get $ox) (local.get $out_w)))
            (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $stride_w)) (local.get $pad_left)))
            (local.set $x1 (i32.add (local.get $x0) (local.get $filter_w)))
            (if (i32.lt_s (local.get $x0) (i32.const 0)) (then (local.set $x0 (i32.const 0))))
            (if (i32.gt_s (local.get $x1) (local.get $in_w)) (then (local.set $x1 (local.get $in_w))))
            (local.set $c (i32.const 0))
            (if (i32.and (i32.eq (i32.sub (local.get $y1) (local.get $y0)) (i32.const 2))
                  (i32.eq (i32.sub (local.get $x1) (local.get $x0)) (i32.const 2)))
              (then
                (call $max2x2
                  (i32.add (local.get $x)
                    (i32.shl
                      (i32.mul (i32.add (i32.mul (local.get $y0) (local.get $in_w)) (local.get $x0))
                        (local.get $channels))
                      (i32.const 2)))
                  (local.get $out) (local.get $vec_channels)
                  (i32.shl (local.get $channels) (i32.const 2))
                  (i32.shl (i32.mul (local.get $in_w) (local.get $channels)) (i32.const 2)))
                (local.set $out (i32.add (local.get $out) (i32.shl (local.get $vec_channels) (i32.const 2))))
                (local.set $c (local.get $vec_channels))))
            (block $vec_done
              (loop $vec
                (br_if $vec_done (i32.ge_s (local.get $c) (local.get $vec_channels)))
                (local.set $best (f32x4.splat (f32.const -inf)))
                (local.set $iy (local.get $y0))
                (block $rows_done
                  (loop $rows
                    (br_if $rows_done (i32.ge_s (local.get $iy) (local.get $y1)))
                    (local.set $ix (local.get $x0))
                    (block $cols_done
                      (loop $cols
                        (br_if $cols_done (i32.ge_s (local.get $ix) (local.get $x1)))
                        (local.set $at
                          (i32.shl
                            (i32.add
                              (i32.mul (i32.add (i32.mul (local.get $iy) (local.get $in_w)) (local.get $ix))
                                (local.get $channels))
                              (local.get $c))
                            (i32.const 2)))
                        (local.set $value (v128.load (i32.add (local.get $x) (local.get $at))))
                        (local.set $best
                          (v128.bitselect (local.get $value) (local.get $best)
                            (f32x4.gt (local.get $value) (local.get $best))))
                        (local.set $ix (i32.add (local.get $ix) (i32.const 1)))
                        (br $cols)))
                    (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
                    (br $rows)))
                (v128.store (local.get $out) (local.get $best))
                (local.set $out (i32.add (local.get $out) (i32.const 16)))
                (local.set $c (i32.add (local.get $c) (i32.const 4)))
                (br $vec)))
            (block $tail_done
              (loop $tail
                (br_if $tail_done (i32.ge_s (local.get $c) (local.get $channels)))
                (local.set $best1 (f32.const -inf))
                (local.set $iy (local.get $y0))
                (block $rows1_done
                  (loop $rows1
                    (br_if $rows1_done (i32.ge_s (local.get $iy) (local.get $y1)))
                    (local.set $ix (local.get $x0))
                    (block $cols1_done
                      (loop $cols1
                        (br_if $cols1_done (i32.ge_s (local.get $ix) (local.get $x1)))
                        (local.set $value1
                          (f32.load (i32.add (local.get $x)
                            (i32.shl
                              (i32.add
                                (i32.mul (i32.add (i32.mul (local.get $iy) (local.get $in_w)) (local.get $ix))
                                  (local.get $channels))
                                (local.get $c))
                              (i32.const 2)))))
                        (if (f32.gt (local.get $value1) (local.get $best1))
                          (then (local.set $best1 (local.get $value1))))
                        (local.set $ix (i32.add (local.get $ix) (i32.const 1)))
                        (br $cols1)))
                    (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
                    (br $rows1)))
                (f32.store (local.get $out) (local.get $best1))
                (local.set $out (i32.add (local.get $out) (i32.const 4)))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $tail)))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (br $ox_loop)))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oy_loop))))

  ;; One Adam step over n floats: m1 = b1 m0 + (1 - b1) g,
  ;; v1 = b2 v0 + (1 - b2) g^2, w1 = w0 + step m1 / (sqrt(v1 scale) + eps),
  ;; where step = -lr / (1 - b1^t) and scale = 1 / (1 - b2^t).
  (func (export "adam")
    (param $w0 i32) (param $g0 i32) (param $m0 i32) (param $v0 i32)
    (param $w1 i32) (param $m1 i32) (param $v1 i32) (param $n i32)
    (param $b1 f32) (param $b2 f32) (param $step f32) (param $scale f32) (param $eps f32)
    (local $i i32) (local $vec_n i32) (local $at i32)
    (local $g v128) (local $m v128) (local $v v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $vec_n (i32.and (local.get $n) (i32.const -4)))
    (block $vec_done
      (loop $vec
        (br_if $vec_done (i32.ge_u (local.get $i) (local.get $vec_n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $g (v128.load (i32.add (local.get $g0) (local.get $at))))
        (local.set $m
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m0) (local.get $at))) (f32x4.splat (local.get $b1)))
            (f32x4.mul (local.get $g) (f32x4.splat (f32.sub (f32.const 1) (local.get $b1))))))
        (local.set $v
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v0) (local.get $at))) (f32x4.splat (local.get $b2)))
            (f32x4.mul (f32x4.mul (local.get $g) (local.get $g))
              (f32x4.splat (f32.sub (f32.const 1) (local.get $b2))))))
        (v128.store (i32.add (local.get $m1) (local.get $at)) (local.get $m))
        (v128.store (i32.add (local.get $v1) (local.get $at)) (local.get $v))
        (v128.store (i32.add (local.get $w1) (local.get $at))
          (f32x4.add (v128.load (i32.add (local.get $w0) (local.get $at)))
            (f32x4.div
              (f32x4.mul (local.get $m) (f32x4.splat (local.get $step)))
              (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $v) (f32x4.splat (local.get $scale))))
                (f32x4.splat (local.get $eps))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vec)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.load (i32.add (local.get $g0) (local.get $at))))
        (local.set $ms
          (f32.add (f32.mul (f32.load (i32.add (local.get $m0) (local.get $at))) (local.get $b1))
            (f32.mul (local.get $gs) (f32.sub (f32.const 1) (local.get $b1)))))
        (local.set $vs
          (f32.add (f32.mul (f32.load (i32.add (local.get $v0) (local.get $at))) (local.get $b2))
            (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (f32.sub (f32.const 1) (local.get $b2)))))
        (f32.store (i32.add (local.get $m1) (local.get $at)) (local.get $ms))
        (f32.store (i32.add (local.get $v1) (local.get $at)) (local.get $vs))
        (f32.store (i32.add (local.get $w1) (local.get $at))
          (f32.add (f32.load (i32.add (local.get $w0) (local.get $at)))
            (f32.div (f32.mul (local.get $ms) (local.get $step))
              (f32.add (f32.sqrt (f32.mul (local.get $vs) (local.get $scale))) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))

  ;; Adds g to dx[index] (a float index into the image at $image) unless
  ;; index is -1 (no input of the window was larger than -Infinity).
  (func $scatter (param $image i32) (param $index i32) (param $g f32)
    (local $at i32)
    (if (i32.ge_s (local.get $index) (i32.const 0))
      (then
        (local.set $at (i32.add (local.get $image) (i32.shl (local.get $index) (i32.const 2))))
        (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (local.get $g))))))

  ;; The max-pool gradient of one output pixel, for 4 channels from
  ;; $channel: scans the window rows $y0..$y1 and columns $x0..$x1 of the
  ;; image at $x keeping, per channel, the first input strictly larger than
  ;; the best so far (from -Infinity, so NaN never wins), then adds the
  ;; pixel's gradient at $dy to that input's place in the image at $dx.
  (func $pool_pixel4
    (param $x i32) (param $dx i32) (param $dy i32) (param $channel i32)
    (param $width i32) (param $channels i32)
    (param $y0 i32) (param $y1 i32) (param $x0 i32) (param $x1 i32)
    (local $best v128) (local $best_at v128) (local $value v128) (local $wins v128)
    (local $iy i32) (local $ix i32) (local $index i32) (local $g v128)
    (local.set $best (f32x4.splat (f32.const -inf)))
    (local.set $best_at (i32x4.splat (i32.const -1)))
    (local.set $iy (local.get $y0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $iy) (local.get $y1)))
        (local.set $ix (local.get $x0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_s (local.get $ix) (local.get $x1)))
            (local.set $index
              (i32.add
                (i32.mul
                  (i32.add (i32.mul (local.get $iy) (local.get $width)) (local.get $ix))
                  (local.get $channels))
                (local.get $channel)))
            (local.set $value
              (v128.load (i32.add (local.get $x) (i32.shl (local.get $index) (i32.const 2)))))
            (local.set $wins (f32x4.gt (local.get $value) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $value) (local.get $best) (local.get $wins)))
            (local.set $best_at
              (v128.bitselect
                (i32x4.add (i32x4.splat (local.get $index)) (v128.const i32x4 0 1 2 3))
                (local.get $best_at) (local.get $wins)))
            (local.set $ix (i32.add (local.get $ix) (i32.const 1)))
            (br $cols)))
        (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
        (br $rows)))
    (local.set $g (v128.load (i32.add (local.get $dy) (i32.shl (local.get $channel) (i32.const 2)))))
    (call $scatter (local.get $dx) (i32x4.extract_lane 0 (local.get $best_at)) (f32x4.extract_lane 0 (local.get $g)))
    (call $scatter (local.get $dx) (i32x4.extract_lane 1 (local.get $best_at)) (f32x4.extract_lane 1 (local.get $g)))
    (call $scatter (local.get $dx) (i32x4.extract_lane 2 (local.get $best_at)) (f32x4.extract_lane 2 (local.get $g)))
    (call $scatter (local.get $dx) (i32x4.extract_lane 3 (local.get $best_at)) (f32x4.extract_lane 3 (local.get $g))))

  ;; The same for one channel.
  (func $pool_pixel1
    (param $x i32) (param $dx i32) (param $dy i32) (param $channel i32)
    (param $width i32) (param $channels i32)
    (param $y0 i32) (param $y1 i32) (param $x0 i32) (param $x1 i32)
    (local $best f32) (local $best_at i32) (local $value f32)
    (local $iy i32) (local $ix i32) (local $index i32)
    (local.set $best (f32.const -inf))
    (local.set $best_at (i32.const -1))
    (local.set $iy (local.get $y0))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $iy) (local.get $y1)))
        (local.set $ix (local.get $x0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_s (local.get $ix) (local.get $x1)))
            (local.set $index
              (i32.add
                (i32.mul
                  (i32.add (i32.mul (local.get $iy) (local.get $width)) (local.get $ix))
                  (local.get $channels))
                (local.get $channel)))
            (local.set $value (f32.load (i32.add (local.get $x) (i32.shl (local.get $index) (i32.const 2)))))
            (if (f32.gt (local.get $value) (local.get $best))
              (then
                (local.set $best (local.get $value))
                (local.set $best_at (local.get $index))))
            (local.set $ix (i32.add (local.get $ix) (i32.const 1)))
            (br $cols)))
        (local.set $iy (i32.add (local.get $iy) (i32.const 1)))
        (br $rows)))
    (call $scatter (local.get $dx) (local.get $best_at)
      (f32.load (i32.add (local.get $dy) (i32.shl (local.get $channel) (i32.const 2))))))

  ;; A 2x2 window inside the image whose inputs belong to no other window
  ;; (stride 2), 4 channels at a time for channels $channel .. $end - 1: the
  ;; first input equal to the window's maximum $y (the forward pass's
  ;; output, by the rule above) takes the gradient, stored with no branch;
  ;; a window whose maximum is -Infinity (all -Infinity or NaN) has no
  ;; winner. Equality to $y picks the same input as the strict scan: an
  ;; earlier equal input would have been kept by it. $p0 is the element
  ;; index of the top-left input of channel 0; $row the elements from one
  ;; row to the next.
  (func $pool_window2x2
    (param $x i32) (param $dx i32) (param $dy i32) (param $y i32) (param $masked i32)
    (param $channel i32) (param $end i32) (param $p0 i32) (param $row i32) (param $channels i32)
    (local $at i32) (local $step i32) (local $down i32)
    (local $m v128) (local $g v128) (local $a v128) (local $b v128) (local $c v128)
    (local $d v128) (local $taken v128)
    (local.set $step (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $down (i32.shl (local.get $row) (i32.const 2)))
    (local.set $at (i32.add (local.get $x)
      (i32.shl (i32.add (local.get $p0) (local.get $channel)) (i32.const 2))))
    (local.set $dx (i32.sub (local.get $dx) (local.get $x)))
    (if (local.get $masked) (then (local.set $masked (i32.sub (local.get $masked) (local.get $x)))))
    (local.set $dy (i32.add (local.get $dy) (i32.shl (local.get $channel) (i32.const 2))))
    (local.set $y (i32.add (local.get $y) (i32.shl (local.get $channel) (i32.const 2))))
    (block $done
      (loop $group
        (br_if $done (i32.ge_s (local.get $channel) (local.get $end)))
        (local.set $m (v128.load (local.get $y)))
        (local.set $g (v128.and (v128.load (local.get $dy))
          (f32x4.gt (local.get $m) (f32x4.splat (f32.const -inf)))))
        (local.set $a (f32x4.eq (v128.load (local.get $at)) (local.get $m)))
        (local.set $b (v128.andnot
          (f32x4.eq (v128.load (i32.add (local.get $at) (local.get $step))) (local.get $m))
          (local.get $a)))
        (local.set $taken (v128.or (local.get $a) (local.get $b)))
        (local.set $c (v128.andnot
          (f32x4.eq (v128.load (i32.add (local.get $at) (local.get $down))) (local.get $m))
          (local.get $taken)))
        (local.set $taken (v128.or (local.get $taken) (local.get $c)))
        (local.set $d (v128.andnot
          (f32x4.eq
            (v128.load (i32.add (local.get $at) (i32.add (local.get $down) (local.get $step))))
            (local.get $m))
          (local.get $taken)))
        (v128.store (i32.add (local.get $dx) (local.get $at)) (v128.and (local.get $g) (local.get $a)))
        (v128.store (i32.add (local.get $dx) (i32.add (local.get $at) (local.get $step)))
          (v128.and (local.get $g) (local.get $b)))
        (v128.store (i32.add (local.get $dx) (i32.add (local.get $at) (local.get $down)))
          (v128.and (local.get $g) (local.get $c)))
        (v128.store (i32.add (local.get $dx)
            (i32.add (local.get $at) (i32.add (local.get $down) (local.get $step))))
          (v128.and (local.get $g) (local.get $d)))
        (if (local.get $masked)
          (then
            ;; ReLU's gradient too, when the input is a ReLU's output: the
            ;; winner's gradient times step(input), which is step(max).
            (local.set $g (f32x4.mul (local.get $g)
              (v128.and (f32x4.splat (f32.const 1))
                (f32x4.gt (local.get $m) (f32x4.splat (f32.const 0))))))
            (v128.store (i32.add (local.get $masked) (local.get $at))
              (v128.and (local.get $g) (local.get $a)))
            (v128.store (i32.add (local.get $masked) (i32.add (local.get $at) (local.get $step)))
              (v128.and (local.get $g) (local.get $b)))
            (v128.store (i32.add (local.get $masked) (i32.add (local.get $at) (local.get $down)))
              (v128.and (local.get $g) (local.get $c)))
            (v128.store (i32.add (local.get $masked)
                (i32.add (local.get $at) (i32.add (local.get $down) (local.get $step))))
              (v128.and (local.get $g) (local.get $d)))))
        (local.set $channel (i32.add (local.get $channel) (i32.const 4)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $group))))

  ;; Adds to $out the column sums of $rows rows of $columns floats at $x,
  ;; $columns a multiple of 4: each column summed in row order, as
  ;; column_sum does, but 4 columns at a time in a register through all the
  ;; rows, for rows still in the core's first-level cache.
  (func $column_sum_rows (param $out i32) (param $x i32) (param $rows i32) (param $columns i32)
    (local $c i32) (local $r i32) (local $acc v128) (local $at i32) (local $stride i32)
    (local.set $stride (i32.shl (local.get $columns) (i32.const 2)))
    (block $done
      (loop $group
        (br_if $done (i32.ge_u (local.get $c) (local.get $columns)))
        (local.set $acc (v128.load (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $at (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $r (i32.const 0))
        (block $rows_done
          (loop $row
            (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $at))))
            (local.set $at (i32.add (local.get $at) (local.get $stride)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $row)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2))) (local.get $acc))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $group))))

  ;; MaxPoolGrad of one image (NHWC): $x input, $y output (MaxPool of $x),
  ;; $dy output gradient, $dx input gradient. When $masked is not 0, full
  ;; 2x2 windows also write there the gradient times step($x), ReLU's
  ;; gradient when $x is a ReLU's output (the caller uses it only when every
  ;; window is a full 2x2 one). When $zero is not 0, the image's $dx (and
  ;; $masked) are zeroed first, while they are in cache: needed unless
  ;; disjoint 2x2 windows cover every input. When
  ;; $sums is not 0 too, the masked gradient's column sums are added there. Disjoint 2x2 windows (stride 2)
  ;; inside the image take $pool_window2x2, the others $pool_pixel4/1. $geometry points to 11 i32:
  ;; inHeight, inWidth, channels, outHeight, outWidth, strideHeight,
  ;; strideWidth, filterHeight, filterWidth, padTop, padLeft.
  (func (export "max_pool_grad_image")
    (param $x i32) (param $y i32) (param $dy i32) (param $dx i32) (param $masked i32)
    (param $sums i32) (param $zero i32) (param $geometry i32)
    (local $in_h i32) (local $in_w i32) (local $channels i32) (local $out_h i32)
    (local $out_w i32) (local $stride_h i32) (local $stride_w i32)
    (local $filter_h i32) (local $filter_w i32) (local $pad_top i32) (local $pad_left i32)
    (local $oy i32) (local $ox i32) (local $y0 i32) (local $y1 i32) (local $x0 i32) (local $x1 i32)
    (local $c i32) (local $vec_channels i32) (local $disjoint2x2 i32) (local $corner i32)
    (local $image_bytes i32)
    (local.set $in_h (i32.load offset=0 (local.get $geometry)))
    (local.set $in_w (i32.load offset=4 (local.get $geometry)))
    (local.set $channels (i32.load offset=8 (local.get $geometry)))
    (local.set $out_h (i32.load offset=12 (local.get $geometry)))
    (local.set $out_w (i32.load offset=16 (local.get $geometry)))
    (local.set $stride_h (i32.load offset=20 (local.get $geometry)))
    (local.set $stride_w (i32.load offset=24 (local.get $geometry)))
    (local.set $filter_h (i32.load offset=28 (local.get $geometry)))
    (local.set $filter_w (i32.load offset=32 (local.get $geometry)))
    (local.set $pad_top (i32.load offset=36 (local.get $geometry)))
    (local.set $pad_left (i32.load offset=40 (local.get $geometry)))
    (local.set $vec_channels (i32.and (local.get $channels) (i32.const -4)))
    (if (local.get $zero)
      (then
        (local.set $image_bytes
          (i32.shl (i32.mul (i32.mul (local.get $in_h) (local.get $in_w)) (local.get $channels))
            (i32.const 2)))
        (memory.fill (local.get $dx) (i32.const 0) (local.get $image_bytes))
        (if (local.get $masked)
          (then (memory.fill (local.get $masked) (i32.const 0) (local.get $image_bytes))))))
    (local.set $disjoint2x2
      (i32.and
        (i32.and (i32.eq (local.get $filter_h) (i32.const 2)) (i32.eq (local.get $filter_w) (i32.const 2)))
        (i32.and (i32.eq (local.get $stride_h) (i32.const 2)) (i32.eq (local.get $stride_w) (i32.const 2)))))
    (block $oy_done
      (loop $oy_loop
        (br_if $oy_done (i32.ge_s (local.get $oy) (local.get $out_h)))
        (local.set $y0 (i32.sub (i32.mul (local.get $oy) (local.get $stride_h)) (local.get $pad_top)))
        (local.set $y1 (i32.add (local.get $y0) (local.get $filter_h)))
        (if (i32.lt_s (local.get $y0) (i32.const 0)) (then (local.set $y0 (i32.const 0))))
        (if (i32.gt_s (local.get $y1) (local.get $in_h)) (then (local.set $y1 (local.get $in_h))))
        (local.set $ox (i32.const 0))
        (block $ox_done
          (loop $ox_loop
            (br_if $ox_done (i32.ge_s (local.get $ox) (local.get $out_w)))
            (local.set $x0 (i32.sub (i32.mul (local.get $ox) (local.get $stride_w)) (local.get $pad_left)))
            (local.set $x1 (i32.add (local.get $x0) (local.get $filter_w)))
            (if (i32.lt_s (local.get $x0) (i32.const 0)) (then (local.set $x0 (i32.const 0))))
            (if (i32.gt_s (local.get $x1) (local.get $in_w)) (then (local.set $x1 (local.get $in_w))))
            (local.set $c (i32.const 0))
            (if (i32.and (local.get $disjoint2x2)
                  (i32.and (i32.eq (i32.sub (local.get $y1) (local.get $y0)) (i32.const 2))
                    (i32.eq (i32.sub (local.get $x1) (local.get $x0)) (i32.const 2))))
              (then
                (local.set $corner
                  (i32.mul (i32.add (i32.mul (local.get $y0) (local.get $in_w)) (local.get $x0))
                    (local.get $channels)))
                (call $pool_window2x2 (local.get $x) (local.get $dx) (local.get $dy) (local.get $y)
                  (local.get $masked) (i32.const 0) (local.get $vec_channels) (local.get $corner)
                  (i32.mul (local.get $in_w) (local.get $channels)) (local.get $channels))
                (local.set $c (local.get $vec_channels))))
            (block $vec_done
              (loop $vec
                (br_if $vec_done (i32.ge_s (local.get $c) (local.get $vec_channels)))
                (call $pool_pixel4 (local.get $x) (local.get $dx) (local.get $dy) (local.get $c)
                  (local.get $in_w) (local.get $channels)
                  (local.get $y0) (local.get $y1) (local.get $x0) (local.get $x1))
                (local.set $c (i32.add (local.get $c) (i32.const 4)))
                (br $vec)))
            (block $tail_done
              (loop $tail
                (br_if $tail_done (i32.ge_s (local.get $c) (local.get $channels)))
                (call $pool_pixel1 (local.get $x) (local.get $dx) (local.get $dy) (local.get $c)
                  (local.get $in_w) (local.get $channels)
                  (local.get $y0) (local.get $y1) (local.get $x0) (local.get $x1))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $tail)))
            (local.set $dy (i32.add (local.get $dy) (i32.shl (local.get $channels) (i32.const 2))))
            (local.set $y (i32.add (local.get $y) (i32.shl (local.get $channels) (i32.const 2))))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (br $ox_loop)))
        ;; The masked rows of this row of windows, summed per channel into
        ;; $sums in the order column_sum takes every row: bias gradients
        ;; equal to a later column_sum of the whole masked gradient.
        (if (i32.and (i32.ne (local.get $masked) (i32.const 0)) (i32.ne (local.get $sums) (i32.const 0)))
          (then
            (call $column_sum_rows (local.get $sums)
              (i32.add (local.get $masked)
                (i32.shl (i32.mul (i32.mul (local.get $y0) (local.get $in_w)) (local.get $channels))
                  (i32.const 2)))
              (i32.mul (i32.sub (local.get $y1) (local.get $y0)) (local.get $in_w))
              (local.get $channels))))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oy_loop))))

  ;; The gradient of one full, disjoint 2x2 window's channels [0, $end) from
  ;; the winner bytes max_pool_2x2_winners_image wrote: $dy where the byte
  ;; names the input, else 0, into $dx at the window's corner; when
  ;; $masked is not 0, also the gradient times step(max) there, as
  ;; $pool_window2x2 writes them from the input and the output.
  (func $pool_window2x2_winners
    (param $winners i32) (param $dy i32) (param $dx i32) (param $masked i32) (param $end i32)
    (param $step i32) (param $down i32)
    (local $c i32) (local $winner v128) (local $which v128) (local $g v128)
    (local $a v128) (local $b v128) (local $e v128) (local $d v128)
    (block $done
      (loop $group
        (br_if $done (i32.ge_s (local.get $c) (local.get $end)))
        (local.set $winner
          (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (v128.load32_zero (local.get $winners)))))
        (local.set $which (v128.and (local.get $winner) (i32x4.splat (i32.const 7))))
        (local.set $g (v128.load (local.get $dy)))
        (local.set $a (i32x4.eq (local.get $which) (i32x4.splat (i32.const 0))))
        (local.set $b (i32x4.eq (local.get $which) (i32x4.splat (i32.const 1))))
        (local.set $e (i32x4.eq (local.get $which) (i32x4.splat (i32.const 2))))
        (local.set $d (i32x4.eq (local.get $which) (i32x4.splat (i32.const 3))))
        (v128.store (local.get $dx) (v128.and (local.get $g) (local.get $a)))
        (v128.store (i32.add (local.get $dx) (local.get $step)) (v128.and (local.get $g) (local.get $b)))
        (v128.store (i32.add (local.get $dx) (local.get $down)) (v128.and (local.get $g) (local.get $e)))
        (v128.store (i32.add (local.get $dx) (i32.add (local.get $down) (local.get $step)))
          (v128.and (local.get $g) (local.get $d)))
        (if (local.get $masked)
          (then
            (local.set $g (f32x4.mul (local.get $g)
              (v128.and (f32x4.splat (f32.const 1))
                (i32x4.ne (v128.and (local.get $winner) (i32x4.splat (i32.const 8)))
                  (i32x4.splat (i32.const 0))))))
            (v128.store (local.get $masked) (v128.and (local.get $g) (local.get $a)))
            (v128.store (i32.add (local.get $masked) (local.get $step))
              (v128.and (local.get $g) (local.get $b)))
            (v128.store (i32.add (local.get $masked) (local.get $down))
              (v128.and (local.get $g) (local.get $e)))
            (v128.store (i32.add (local.get $masked) (i32.add (local.get $down) (local.get $step)))
              (v128.and (local.get $g) (local.get $d)))
            (local.set $masked (i32.add (local.get $masked) (i32.const 16)))))
        (local.set $winners (i32.add (local.get $winners) (i32.const 4)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $group))))

  ;; MaxPoolGrad of one NHWC image whose forward pass was
  ;; max_pool_2x2_winners_image: reads the winner bytes and $dy instead of
  ;; the input and output, and writes what max_pool_grad_image writes for
  ;; the same geometry: $dx, and when $masked is not 0 ReLU's gradient
  ;; there, and when $sums is not 0 too its column sums, row of windows by
  ;; row of windows. When $zero is not 0 the image's $dx and $masked are
  ;; zeroed first (inputs past the last window belong to none).
  (func (export "max_pool_grad_winners_image")
    (param $winners i32) (param $dy i32) (param $dx i32) (param $masked i32) (param $sums i32)
    (param $zero i32) (param $geometry i32)
    (local $in_h i32) (local $in_w i32) (local $channels i32) (local $out_h i32) (local $out_w i32)
    (local $oy i32) (local $ox i32) (local $step i32) (local $row i32) (local $corner i32)
    (local $image_bytes i32)
    (local.set $in_h (i32.load offset=0 (local.get $geometry)))
    (local.set $in_w (i32.load offset=4 (local.get $geometry)))
    (local.set $channels (i32.load offset=8 (local.get $geometry)))
    (local.set $out_h (i32.load offset=12 (local.get $geometry)))
    (local.set $out_w (i32.load offset=16 (local.get $geometry)))
    (local.set $step (i32.shl (local.get $channels) (i32.const 2)))
    (local.set $row (i32.mul (local.get $in_w) (local.get $step)))
    (if (local.get $zero)
      (then
        (local.set $image_bytes (i32.mul (local.get $in_h) (local.get $row)))
        (memory.fill (local.get $dx) (i32.const 0) (local.get $image_bytes))
        (if (local.get $masked)
          (then (memory.fill (local.get $masked) (i32.const 0) (local.get $image_bytes))))))
    (block $oy_done
      (loop $oy_loop
        (br_if $oy_done (i32.ge_s (local.get $oy) (local.get $out_h)))
        (local.set $ox (i32.const 0))
        (block $ox_done
          (loop $ox_loop
            (br_if $ox_done (i32.ge_s (local.get $ox) (local.get $out_w)))
            (local.set $corner
              (i32.add (i32.mul (i32.shl (local.get $oy) (i32.const 1)) (local.get $row))
                (i32.mul (i32.shl (local.get $ox) (i32.const 1)) (local.get $step))))
            (call $pool_window2x2_winners (local.get $winners) (local.get $dy)
              (i32.add (local.get $dx) (local.get $corner))
              (select (i32.add (local.get $masked) (local.get $corner)) (i32.const 0) (local.get $masked))
              (local.get $channels) (local.get $step) (local.get $row))
            (local.set $winners (i32.add (local.get $winners) (local.get $channels)))
            (local.set $dy (i32.add (local.get $dy) (local.get $step)))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (br $ox_loop)))
        ;; The masked rows of this row of windows, summed per channel, as
        ;; max_pool_grad_image sums them.
        (if (i32.and (i32.ne (local.get $masked) (i32.const 0)) (i32.ne (local.get $sums) (i32.const 0)))
          (then
            (call $column_sum_rows (local.get $sums)
              (i32.add (local.get $masked) (i32.mul (i32.shl (local.get $oy) (i32.const 1)) (local.get $row)))
              (i32.shl (local.get $in_w) (i32.const 1))
              (local.get $channels))))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br $oy_loop))))
)
