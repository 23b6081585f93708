func.func @fold_chain() -> tensor<2xi32> {
  %0 = "duet.constant"() {value = dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>} : () -> tensor<2x3xi32>
  %1 = "duet.reduce_sum"(%0) {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xi32>) -> tensor<2xi32>
  return %1 : tensor<2xi32>
}
