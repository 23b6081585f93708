func.func private @decl(tensor<2xf32>) -> tensor<2xf32>
