// The ONNX protobuf messages (Debian's libonnx, onnx-ml flavour), for the importer/exporter
// internals only: no public header includes this.
#pragma once

#include "onnx/onnx_pb.h"
