package dev.tapegrad.benchmarks.peers;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.tapegrad.benchmarks.Workloads;

/**
 * PyTorch through DJL's PyTorch engine (CPU native library from Maven Central, run offline). The step is
 * DJL's standard training path: {@code EasyTrain.trainBatch} (forward, softmax cross entropy, backward) then
 * {@code trainer.step()} (SGD). Each step copies the batch into a sub-manager, as a DJL data loader does, and
 * frees the step's intermediates with it (the copy costs ~0.05 ms of the step).
 */
final class PyTorchPeer {
    private PyTorchPeer() {}

    static Workloads.Step step(String model) {
        int batch = Workloads.batch(model);
        boolean cnn = Workloads.isCnn(model);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        SequentialBlock net = new SequentialBlock();
        if (cnn) {
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build())
                    .add(Activation.reluBlock()).add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(10).build());
        } else {
            net.add(Linear.builder().setUnits(392).build()).add(Activation.reluBlock()).add(Linear.builder().setUnits(10).build());
        }
        Model m = Model.newInstance(model, "PyTorch");
        m.setBlock(net);
        Trainer trainer = m.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) Workloads.LEARNING_RATE)).build()));
        Shape inputShape = cnn ? new Shape(batch, 1, 28, 28) : new Shape(batch, 784);
        trainer.initialize(inputShape);
        float[] x = Workloads.inputs(model);
        int[] labels = Workloads.labels(model);
        float[] y = new float[batch];
        for (int i = 0; i < batch; i++) y[i] = labels[i];
        return new Workloads.Step() {
            @Override
            public double run() {
                try (NDManager sub = manager.newSubManager()) {
                    Batch b = new Batch(sub, new NDList(sub.create(x, inputShape)), new NDList(sub.create(y, new Shape(batch))), batch, null, null, 0, 0);
                    EasyTrain.trainBatch(trainer, b);
                    trainer.step();
                }
                return 0;
            }

            @Override
            public void close() {
                trainer.close();
                m.close();
                manager.close();
            }
        };
    }

    /** {@code C = A B} for two {@code n x n} matrices; returns a value of C so that the product is used. */
    static MatMul matmul(int n, boolean float32) {
        NDManager manager = NDManager.newBaseManager("PyTorch");
        DataType type = float32 ? DataType.FLOAT32 : DataType.FLOAT64;
        NDArray a = manager.randomNormal(0, 1, new Shape(n, n), type), b = manager.randomNormal(0, 1, new Shape(n, n), type);
        return new MatMul() {
            @Override
            public Object run() {
                try (NDArray c = a.matMul(b)) {
                    return c.getShape();
                }
            }

            @Override
            public void close() { manager.close(); }
        };
    }
}
