func.func @f() -> tensor<2xi32> {
  %0 = "duet.constant"() {value = dense<[-2147483648, 7]> : tensor<2xi32>} : () -> tensor<2xi32>
  %1 = "duet.constant"() {value = dense<[-1, 0]> : tensor<2xi32>} : () -> tensor<2xi32>
  %2 = "duet.floordiv"(%0, %1) : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %2 : tensor<2xi32>
}
