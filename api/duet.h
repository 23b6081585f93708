// duet: the one public header. Everything in API.md is reachable from here, in namespace duet.
// Example:
//   #include "api/duet.h"
//   using namespace duet;
//   std::cout << matmul(constant({{2.f}}), constant({{2.f}}));
#pragma once

#include "api/clip.h"
#include "api/control_flow.h"
#include "api/function.h"
#include "api/losses.h"
#include "api/metrics.h"
#include "api/optimizers.h"
#include "api/train/trackable.h"
#include "kernels/binary_ops.h"
#include "kernels/broadcast_ops.h"
#include "kernels/cast_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/cuda/device_probe.h"
#include "kernels/matmul_ops.h"
#include "kernels/nn_ops.h"
#include "kernels/operators.h"
#include "kernels/random_ops.h"
#include "kernels/reduce_ops.h"
#include "kernels/shape_ops.h"
#include "kernels/unary_ops.h"
#include "eager/functional.h"
#include "eager/gradient_tape.h"
#include "eager/variable.h"
#include "runtime/context.h"
#include "runtime/npy.h"
#include "runtime/num_threads.h"
#include "runtime/tensor.h"
#include "runtime/tensor_factory.h"
