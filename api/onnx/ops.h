// The duet ops the ONNX importers compose (the public op headers, without the rest of duet.h).
#pragma once

#include "api/clip.h"
#include "kernels/binary_ops.h"
#include "kernels/broadcast_ops.h"
#include "kernels/cast_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/matmul_ops.h"
#include "kernels/nn_ops.h"
#include "kernels/operators.h"
#include "kernels/reduce_ops.h"
#include "kernels/shape_ops.h"
#include "kernels/unary_ops.h"
#include "runtime/status_macros.h"
#include "runtime/tensor_factory.h"
