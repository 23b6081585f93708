func.func @f() -> tensor<f32> {
  %0 = "duet.read_variable"() {var = -5 : i64} : () -> tensor<f32>
  return %0 : tensor<f32>
}
