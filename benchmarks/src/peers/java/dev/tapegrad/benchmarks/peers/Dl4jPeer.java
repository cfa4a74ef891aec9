package dev.tapegrad.benchmarks.peers;

import dev.tapegrad.benchmarks.Workloads;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J 1.0.0-M2.1 on ND4J's native CPU backend (AVX2 build, OpenBLAS). The step is
 * {@code MultiLayerNetwork.fit(DataSet)}: forward, softmax cross entropy (MCXENT), backward, SGD.
 */
final class Dl4jPeer {
    private Dl4jPeer() {}

    static Workloads.Step step(String model) {
        int batch = Workloads.batch(model);
        boolean cnn = Workloads.isCnn(model);
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Sgd(Workloads.LEARNING_RATE)).weightInit(WeightInit.XAVIER).list();
        MultiLayerConfiguration conf = cnn
                ? list.layer(new ConvolutionLayer.Builder(3, 3).nIn(1).nOut(8).padding(1, 1).stride(1, 1).activation(Activation.RELU).build())
                        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.convolutional(28, 28, 1)).build()
                : list.layer(new DenseLayer.Builder().nIn(784).nOut(392).activation(Activation.RELU).build())
                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(392).nOut(10).activation(Activation.SOFTMAX).build())
                        .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nd4j.create(Workloads.inputs(model), cnn ? new long[] {batch, 1, 28, 28} : new long[] {batch, 784}, 'c');
        int[] labels = Workloads.labels(model);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) y.putScalar(i, labels[i], 1f);
        DataSet data = new DataSet(x, y);
        return () -> {
            net.fit(data);
            return net.score();
        };
    }

    /** {@code C = A B} with ND4J's {@code mmuli} into a preallocated {@code C} (a BLAS gemm). */
    static MatMul matmul(int n, boolean float32) {
        DataType type = float32 ? DataType.FLOAT : DataType.DOUBLE;
        INDArray a = Nd4j.randn(type, n, n), b = Nd4j.randn(type, n, n), c = Nd4j.create(type, n, n);
        return () -> a.mmuli(b, c);
    }
}
