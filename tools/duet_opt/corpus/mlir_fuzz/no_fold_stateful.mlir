func.func @no_fold_stateful() -> tensor<2xf32> {
  %0 = "duet.random_uniform"() {shape = array<i64: 2>, dtype = f32, seed = 1 : i64, a = 0.0 : f64, b = 1.0 : f64} : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
