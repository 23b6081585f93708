// Every layer and model header, for api/duet.h: Layer, Model, Sequential, Activation and the
// built-in layers in namespace duet::layers.
// Example: #include "api/layers/layers.h"  // then layers::Dense d(10); Sequential s({...});
#pragma once

#include "api/layers/activation.h"
#include "api/layers/batch_norm.h"
#include "api/layers/conv.h"
#include "api/layers/dense.h"
#include "api/layers/dropout.h"
#include "api/layers/embedding.h"
#include "api/layers/initializers.h"
#include "api/layers/layer.h"
#include "api/layers/model.h"
#include "api/layers/pooling.h"
