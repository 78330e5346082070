;; Float64 products for the CPU engine (src/wasm/kernels.ts), in WebAssembly SIMD (f64x2).
;;
;; One product, `gemm`: C = A·B with A read through strides, so the same code computes A·B (A row-major, the
;; factor products YⱼVⱼ, U(VᵀV)) and AᵀB (YⱼᵀUʲ, the r×r Gram matrices UᵀU, VᵀV). C is cut into 4×4 tiles held
;; in eight f64x2 registers while p runs over the inner dimension (register blocking: each loaded B row feeds
;; four rows of A, each A entry two vectors of B); the edges take 4×2, 4×1, 1×4, 1×2 and 1×1 tiles.
;;
;; Every entry of C is ((0 + A(i,0)B[0,j]) + A(i,1)B[1,j]) + … in p order, with a separate multiply and add
;; (no fused multiply–add), which is exactly the order and rounding of the plain TypeScript products
;; (src/core/linalg.ts matmul, matmulTN): the results are equal to the last bit (test/unit/wasm-kernels.test.ts).
;;
;; The memory is imported, so the engine can hand every thread the same (shared) memory; the line below is the
;; only one that differs between the plain and the shared build (src/engine/kernels-assemble.ts).
(module
  (import "env" "memory" (memory 1 65536))

  ;; C[i, j] = Σ_{p<k} A(i, p)·B[p, j] for i < m, j < n, with A(i, p) at a + 8(i·sai + p·sap), B[p, j] at
  ;; b + 8(p·ldb + j), C[i, j] at c + 8(i·ldc + j): byte offsets into the memory, strides in entries.
  (func (export "gemm") (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32) (param $n i32)
        (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
    (local $i i32) (local $j i32) (local $ci i32) (local $ai i32)
    (local.set $sai (i32.shl (local.get $sai) (i32.const 3)))
    (local.set $sap (i32.shl (local.get $sap) (i32.const 3)))
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 3)))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 3)))
    (block $rows4 (loop $i4
      (br_if $rows4 (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
      (local.set $ci (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))))
      (local.set $ai (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
      (local.set $j (i32.const 0))
      (block $cols4 (loop $j4
        (br_if $cols4 (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (call $k4x4 (i32.add (local.get $ci) (i32.shl (local.get $j) (i32.const 3))) (local.get $ai)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))) (local.get $k) (local.get $sai) (local.get $sap) (local.get $ldb) (local.get $ldc))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $j4)))
      (if (i32.le_s (i32.add (local.get $j) (i32.const 2)) (local.get $n)) (then
        (call $k4x2 (i32.add (local.get $ci) (i32.shl (local.get $j) (i32.const 3))) (local.get $ai)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))) (local.get $k) (local.get $sai) (local.get $sap) (local.get $ldb) (local.get $ldc))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))))
      (if (i32.lt_s (local.get $j) (local.get $n)) (then
        (call $k4x1 (i32.add (local.get $ci) (i32.shl (local.get $j) (i32.const 3))) (local.get $ai)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))) (local.get $k) (local.get $sai) (local.get $sap) (local.get $ldb) (local.get $ldc))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $i4)))
    (block $rows1 (loop $i1
      (br_if $rows1 (i32.ge_s (local.get $i) (local.get $m)))
      (local.set $ci (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))))
      (local.set $ai (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
      (local.set $j (i32.const 0))
      (block $cols4 (loop $j4
        (br_if $cols4 (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (call $k1x4 (i32.add (local.get $ci) (i32.shl (local.get $j) (i32.const 3))) (local.get $ai)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))) (local.get $k) (local.get $sai) (local.get $sap) (local.get $ldb) (local.get $ldc))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $j4)))
      (if (i32.le_s (i32.add (local.get $j) (i32.const 2)) (local.get $n)) (then
        (call $k1x2 (i32.add (local.get $ci) (i32.shl (local.get $j) (i32.const 3))) (local.get $ai)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))) (local.get $k) (local.get $sai) (local.get $sap) (local.get $ldb) (local.get $ldc))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))))
      (if (i32.lt_s (local.get $j) (local.get $n)) (then
        (call $k1x1 (i32.add (local.get $ci) (i32.shl (local.get $j) (i32.const 3))) (local.get $ai)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))) (local.get $k) (local.get $sai) (local.get $sap) (local.get $ldb) (local.get $ldc))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $i1)))
  )
  ;; C[4×4] at c = Σ_p A(·, p)·B[p, ·]: 4 row(s) of A from a (rows sai bytes apart, p steps sap bytes),
  ;; B's row p at b + p·ldb; every sum starts at +0 and adds the products in p order.
  (func $k4x4 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $sai)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $sai)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $sai)))
    (if (i32.gt_s (local.get $k) (i32.const 0)) (then (loop $p
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $x (f64x2.splat (f64.load (local.get $a))))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (f64x2.splat (f64.load (local.get $a1))))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (f64x2.splat (f64.load (local.get $a2))))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $x (f64x2.splat (f64.load (local.get $a3))))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (local.get $sap)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $sap)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $sap)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $sap)))
      (local.set $b (i32.add (local.get $b) (local.get $ldb)))
      (br_if $p (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31))
  )
  ;; C[4×2] at c = Σ_p A(·, p)·B[p, ·]: 4 row(s) of A from a (rows sai bytes apart, p steps sap bytes),
  ;; B's row p at b + p·ldb; every sum starts at +0 and adds the products in p order.
  (func $k4x2 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 v128) (local $x v128)
    (local $c00 v128) (local $c10 v128) (local $c20 v128) (local $c30 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $sai)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $sai)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $sai)))
    (if (i32.gt_s (local.get $k) (i32.const 0)) (then (loop $p
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $x (f64x2.splat (f64.load (local.get $a))))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $x (f64x2.splat (f64.load (local.get $a1))))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $x (f64x2.splat (f64.load (local.get $a2))))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $x (f64x2.splat (f64.load (local.get $a3))))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $a (i32.add (local.get $a) (local.get $sap)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $sap)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $sap)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $sap)))
      (local.set $b (i32.add (local.get $b) (local.get $ldb)))
      (br_if $p (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))))
    (v128.store (local.get $c) (local.get $c00))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c10))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c20))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c30))
  )
  ;; C[4×1] at c = Σ_p A(·, p)·B[p, ·]: 4 row(s) of A from a (rows sai bytes apart, p steps sap bytes),
  ;; B's row p at b + p·ldb; every sum starts at +0 and adds the products in p order.
  (func $k4x1 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 f64) (local $x f64)
    (local $c00 f64) (local $c10 f64) (local $c20 f64) (local $c30 f64)
    (local.set $a1 (i32.add (local.get $a) (local.get $sai)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $sai)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $sai)))
    (if (i32.gt_s (local.get $k) (i32.const 0)) (then (loop $p
      (local.set $b0 (f64.load (local.get $b)))
      (local.set $c00 (f64.add (local.get $c00) (f64.mul (f64.load (local.get $a)) (local.get $b0))))
      (local.set $c10 (f64.add (local.get $c10) (f64.mul (f64.load (local.get $a1)) (local.get $b0))))
      (local.set $c20 (f64.add (local.get $c20) (f64.mul (f64.load (local.get $a2)) (local.get $b0))))
      (local.set $c30 (f64.add (local.get $c30) (f64.mul (f64.load (local.get $a3)) (local.get $b0))))
      (local.set $a (i32.add (local.get $a) (local.get $sap)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $sap)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $sap)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $sap)))
      (local.set $b (i32.add (local.get $b) (local.get $ldb)))
      (br_if $p (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))))
    (f64.store (local.get $c) (local.get $c00))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (f64.store (local.get $c) (local.get $c10))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (f64.store (local.get $c) (local.get $c20))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (f64.store (local.get $c) (local.get $c30))
  )
  ;; C[1×4] at c = Σ_p A(·, p)·B[p, ·]: 1 row(s) of A from a (rows sai bytes apart, p steps sap bytes),
  ;; B's row p at b + p·ldb; every sum starts at +0 and adds the products in p order.
  (func $k1x4 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
     (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128)
    (if (i32.gt_s (local.get $k) (i32.const 0)) (then (loop $p
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $x (f64x2.splat (f64.load (local.get $a))))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (local.get $sap)))
      (local.set $b (i32.add (local.get $b) (local.get $ldb)))
      (br_if $p (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
  )
  ;; C[1×2] at c = Σ_p A(·, p)·B[p, ·]: 1 row(s) of A from a (rows sai bytes apart, p steps sap bytes),
  ;; B's row p at b + p·ldb; every sum starts at +0 and adds the products in p order.
  (func $k1x2 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
     (local $b0 v128) (local $x v128)
    (local $c00 v128)
    (if (i32.gt_s (local.get $k) (i32.const 0)) (then (loop $p
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $x (f64x2.splat (f64.load (local.get $a))))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
      (local.set $a (i32.add (local.get $a) (local.get $sap)))
      (local.set $b (i32.add (local.get $b) (local.get $ldb)))
      (br_if $p (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))))
    (v128.store (local.get $c) (local.get $c00))
  )
  ;; C[1×1] at c = Σ_p A(·, p)·B[p, ·]: 1 row(s) of A from a (rows sai bytes apart, p steps sap bytes),
  ;; B's row p at b + p·ldb; every sum starts at +0 and adds the products in p order.
  (func $k1x1 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
     (local $b0 f64) (local $x f64)
    (local $c00 f64)
    (if (i32.gt_s (local.get $k) (i32.const 0)) (then (loop $p
      (local.set $b0 (f64.load (local.get $b)))
      (local.set $c00 (f64.add (local.get $c00) (f64.mul (f64.load (local.get $a)) (local.get $b0))))
      (local.set $a (i32.add (local.get $a) (local.get $sap)))
      (local.set $b (i32.add (local.get $b) (local.get $ldb)))
      (br_if $p (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))))
    (f64.store (local.get $c) (local.get $c00))
  )
)
