func.func @f() -> tensor<4294967296x4294967296xf32> {
  %0 = "duet.zeros"() {shape = array<i64: 4294967296, 4294967296>, dtype = f32} : () -> tensor<4294967296x4294967296xf32>
  return %0 : tensor<4294967296x4294967296xf32>
}
