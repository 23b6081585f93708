func.func @f() -> tensor<3xi32> {
  %0 = "duet.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<3xi32>
  %1 = "duet.neg"(%0) : (tensor<3xi32>) -> tensor<3xi32>
  return %1 : tensor<3xi32>
}
