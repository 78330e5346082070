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

  ;; 1 while `gemm_acc` runs: every tile starts its sums from C's current entries instead of +0
  (global $acc (mut i32) (i32.const 0))

  ;; C[i, j] = C[i, j] + Σ_{p<k} A(i, p)·B[p, j], the sum in p order from C's entry: ((C + A(i,0)B[0,j]) + …),
  ;; which is the order of the TypeScript loops that start a residual at −M or −b and add the products to it.
  (func (export "gemm_acc") (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32) (param $n i32)
        (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
    (global.set $acc (i32.const 1))
    (call $gemm (local.get $c) (local.get $a) (local.get $b) (local.get $m) (local.get $k) (local.get $n)
      (local.get $sai) (local.get $sap) (local.get $ldb) (local.get $ldc))
    (global.set $acc (i32.const 0)))

  ;; C[i, j] = Σ_{p<k} A(i, p)·B[p, j] for i < m, j < n, with A(i, p) at a + 8(i·sai + p·sap), B[p, j] at
  ;; b + 8(p·ldb + j), C[i, j] at c + 8(i·ldc + j): byte offsets into the memory, strides in entries.
  (func $gemm (export "gemm") (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32) (param $n i32)
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
  ;; One node of DGD+LOCAL on the factorization (src/core/factor-threads.ts), in two calls around the optional
  ;; balancing term: `node_grad` computes ∇_U = 2(U(VᵀV) − YV) and ∇_V = 2(V(UᵀU) − YᵀU) from the six products,
  ;; `node_update` takes the step U ← Σᵢ w̃ᵢ Uⁱ − μ∇_U (the mixing in the neighbours' order) and V ← V − μ∇_V. The
  ;; entry-wise loops run two entries at a time: each lane does the TypeScript path's operations in its order
  ;; (src/core/kernels.ts gramGradient, src/core/dgd.ts step), so the bits are the same.
  ;; Byte offsets: y (n×mⱼ), u (n×r), v (mⱼ×r), the six products' scratch, gx (n×r), gy (mⱼ×r).
  (func (export "node_grad") (param $y i32) (param $n i32) (param $mj i32) (param $r i32) (param $u i32) (param $v i32)
        (param $yv i32) (param $ytu i32) (param $gu i32) (param $gv i32) (param $ugv i32) (param $vgu i32) (param $gx i32) (param $gy i32)
    (call $gemm (local.get $yv) (local.get $y) (local.get $v) (local.get $n) (local.get $mj) (local.get $r) (local.get $mj) (i32.const 1) (local.get $r) (local.get $r))
    (call $gemm (local.get $ytu) (local.get $y) (local.get $u) (local.get $mj) (local.get $n) (local.get $r) (i32.const 1) (local.get $mj) (local.get $r) (local.get $r))
    (call $gemm (local.get $gu) (local.get $u) (local.get $u) (local.get $r) (local.get $n) (local.get $r) (i32.const 1) (local.get $r) (local.get $r) (local.get $r))
    (call $gemm (local.get $gv) (local.get $v) (local.get $v) (local.get $r) (local.get $mj) (local.get $r) (i32.const 1) (local.get $r) (local.get $r) (local.get $r))
    (call $gemm (local.get $ugv) (local.get $u) (local.get $gv) (local.get $n) (local.get $r) (local.get $r) (local.get $r) (i32.const 1) (local.get $r) (local.get $r))
    (call $gemm (local.get $vgu) (local.get $v) (local.get $gu) (local.get $mj) (local.get $r) (local.get $r) (local.get $r) (i32.const 1) (local.get $r) (local.get $r))
    (call $twice_diff (local.get $gx) (local.get $ugv) (local.get $yv) (i32.mul (local.get $n) (local.get $r)))
    (call $twice_diff (local.get $gy) (local.get $vgu) (local.get $ytu) (i32.mul (local.get $mj) (local.get $r)))
  )

  ;; out[q] = 2·(a[q] − b[q]) for q < len (byte offsets)
  (func $twice_diff (param $out i32) (param $a i32) (param $b i32) (param $len i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $len) (i32.const 3))))
    (block $done (loop $pairs
      (br_if $done (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (v128.store (local.get $out) (f64x2.mul (f64x2.splat (f64.const 2)) (f64x2.sub (v128.load (local.get $a)) (v128.load (local.get $b)))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br $pairs)))
    (if (i32.lt_u (local.get $out) (local.get $end)) (then
      (f64.store (local.get $out) (f64.mul (f64.const 2) (f64.sub (f64.load (local.get $a)) (f64.load (local.get $b)))))))
  )

  ;; out = −μ·gx, then out += wᵢ·xⁱ for each neighbour i in order (xⁱ at src + idx[i]·nr·8, wᵢ at w[i]; idx are
  ;; i32, w f64, `count` of each), then v −= μ·gy. nr = n·r entries of out, gx, each xⁱ; vl = mⱼ·r of v and gy.
  (func (export "node_update") (param $mu f64) (param $nr i32) (param $vl i32) (param $gx i32) (param $gy i32) (param $out i32)
        (param $v i32) (param $src i32) (param $idx i32) (param $w i32) (param $count i32)
    (local $k i32) (local $x i32) (local $wk f64)
    (call $axpby (local.get $out) (f64.neg (local.get $mu)) (local.get $gx) (local.get $nr) (i32.const 0))
    (block $done (loop $nb
      (br_if $done (i32.ge_u (local.get $k) (local.get $count)))
      (local.set $x (i32.add (local.get $src) (i32.shl (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $k) (i32.const 2)))) (local.get $nr)) (i32.const 3))))
      (local.set $wk (f64.load (i32.add (local.get $w) (i32.shl (local.get $k) (i32.const 3)))))
      (call $axpby (local.get $out) (local.get $wk) (local.get $x) (local.get $nr) (i32.const 1))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $nb)))
    (call $axpby (local.get $v) (f64.neg (local.get $mu)) (local.get $gy) (local.get $vl) (i32.const 2))
  )

  ;; mode 0: out[q] = s·x[q]; mode 1: out[q] = out[q] + s·x[q]; mode 2: out[q] = out[q] − (−s)·x[q], i.e. the
  ;; `out[q] -= μ·x[q]` of the TypeScript step with s = −μ (the product μ·x rounded first, then subtracted)
  (func $axpby (param $out i32) (param $s f64) (param $x i32) (param $len i32) (param $mode i32)
    (local $end i32) (local $sv v128) (local $nv v128) (local $ns f64)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $sv (f64x2.splat (local.get $s)))
    (local.set $ns (f64.neg (local.get $s)))
    (local.set $nv (f64x2.splat (local.get $ns)))
    (block $done (loop $pairs
      (br_if $done (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $end)))
      (if (i32.eqz (local.get $mode))
        (then (v128.store (local.get $out) (f64x2.mul (local.get $sv) (v128.load (local.get $x)))))
        (else (if (i32.eq (local.get $mode) (i32.const 1))
          (then (v128.store (local.get $out) (f64x2.add (v128.load (local.get $out)) (f64x2.mul (local.get $sv) (v128.load (local.get $x))))))
          (else (v128.store (local.get $out) (f64x2.sub (v128.load (local.get $out)) (f64x2.mul (local.get $nv) (v128.load (local.get $x)))))))))
      (local.set $out (i32.add (local.get $out) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $pairs)))
    (if (i32.lt_u (local.get $out) (local.get $end)) (then
      (if (i32.eqz (local.get $mode))
        (then (f64.store (local.get $out) (f64.mul (local.get $s) (f64.load (local.get $x)))))
        (else (if (i32.eq (local.get $mode) (i32.const 1))
          (then (f64.store (local.get $out) (f64.add (f64.load (local.get $out)) (f64.mul (local.get $s) (f64.load (local.get $x))))))
          (else (f64.store (local.get $out) (f64.sub (f64.load (local.get $out)) (f64.mul (local.get $ns) (f64.load (local.get $x)))))))))))
  )

  ;; C[4×4] at c = Σ_p A(·, p)·B[p, ·]: 4 row(s) of A from a (rows sai bytes apart, p steps sap bytes),
  ;; B's row p at b + p·ldb; every sum starts at +0 (at C's entry under gemm_acc) and adds the products in p order.
  (func $k4x4 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
    (local $cr i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $sai)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $sai)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $sai)))
    (if (global.get $acc) (then
      (local.set $cr (local.get $c))
      (local.set $c00 (v128.load (local.get $cr)))
      (local.set $c01 (v128.load offset=16 (local.get $cr)))
      (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
      (local.set $c10 (v128.load (local.get $cr)))
      (local.set $c11 (v128.load offset=16 (local.get $cr)))
      (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
      (local.set $c20 (v128.load (local.get $cr)))
      (local.set $c21 (v128.load offset=16 (local.get $cr)))
      (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
      (local.set $c30 (v128.load (local.get $cr)))
      (local.set $c31 (v128.load offset=16 (local.get $cr)))))
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
  ;; B's row p at b + p·ldb; every sum starts at +0 (at C's entry under gemm_acc) and adds the products in p order.
  (func $k4x2 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
    (local $cr i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 v128) (local $x v128)
    (local $c00 v128) (local $c10 v128) (local $c20 v128) (local $c30 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $sai)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $sai)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $sai)))
    (if (global.get $acc) (then
      (local.set $cr (local.get $c))
      (local.set $c00 (v128.load (local.get $cr)))
      (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
      (local.set $c10 (v128.load (local.get $cr)))
      (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
      (local.set $c20 (v128.load (local.get $cr)))
      (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
      (local.set $c30 (v128.load (local.get $cr)))))
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
  ;; B's row p at b + p·ldb; every sum starts at +0 (at C's entry under gemm_acc) and adds the products in p order.
  (func $k4x1 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
    (local $cr i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b0 f64) (local $x f64)
    (local $c00 f64) (local $c10 f64) (local $c20 f64) (local $c30 f64)
    (local.set $a1 (i32.add (local.get $a) (local.get $sai)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $sai)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $sai)))
    (if (global.get $acc) (then
      (local.set $cr (local.get $c))
      (local.set $c00 (f64.load (local.get $cr)))
      (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
      (local.set $c10 (f64.load (local.get $cr)))
      (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
      (local.set $c20 (f64.load (local.get $cr)))
      (local.set $cr (i32.add (local.get $cr) (local.get $ldc)))
      (local.set $c30 (f64.load (local.get $cr)))))
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
  ;; B's row p at b + p·ldb; every sum starts at +0 (at C's entry under gemm_acc) and adds the products in p order.
  (func $k1x4 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
     (local $cr i32) (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128)
    (if (global.get $acc) (then
      (local.set $cr (local.get $c))
      (local.set $c00 (v128.load (local.get $cr)))
      (local.set $c01 (v128.load offset=16 (local.get $cr)))))
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
  ;; B's row p at b + p·ldb; every sum starts at +0 (at C's entry under gemm_acc) and adds the products in p order.
  (func $k1x2 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
     (local $cr i32) (local $b0 v128) (local $x v128)
    (local $c00 v128)
    (if (global.get $acc) (then
      (local.set $cr (local.get $c))
      (local.set $c00 (v128.load (local.get $cr)))))
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
  ;; B's row p at b + p·ldb; every sum starts at +0 (at C's entry under gemm_acc) and adds the products in p order.
  (func $k1x1 (param $c i32) (param $a i32) (param $b i32) (param $k i32) (param $sai i32) (param $sap i32) (param $ldb i32) (param $ldc i32)
     (local $cr i32) (local $b0 f64) (local $x f64)
    (local $c00 f64)
    (if (global.get $acc) (then
      (local.set $cr (local.get $c))
      (local.set $c00 (f64.load (local.get $cr)))))
    (if (i32.gt_s (local.get $k) (i32.const 0)) (then (loop $p
      (local.set $b0 (f64.load (local.get $b)))
      (local.set $c00 (f64.add (local.get $c00) (f64.mul (f64.load (local.get $a)) (local.get $b0))))
      (local.set $a (i32.add (local.get $a) (local.get $sap)))
      (local.set $b (i32.add (local.get $b) (local.get $ldb)))
      (br_if $p (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))))
    (f64.store (local.get $c) (local.get $c00))
  )
)
