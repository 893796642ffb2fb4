import pytest
import torch

from zoo.model import ACTIVATIONS, NORMS, AutoEncoder, ModelConfig, parameter_count


@pytest.mark.parametrize("d", [1, 16, 32, 64])
@pytest.mark.parametrize("shape", [(5, 784), (5, 1, 28, 28)])
@torch.no_grad()
def test_shapes(d, shape):
    model = AutoEncoder(ModelConfig(latent_dim=d))
    x = torch.rand(shape)
    h = model.encode(x)
    assert h.shape == (5, d)
    x_hat = model.decode(h)
    assert x_hat.shape == (5, 784)
    assert x_hat.min().item() >= 0.0 and x_hat.max().item() <= 1.0
    assert torch.equal(model(x), x_hat)


@pytest.mark.parametrize("d", [16, 32, 64])
@pytest.mark.parametrize("hidden, decoder_hidden", [((), None), ((128,), None), ((256, 64), None), ((256,), ()), ((), (100,))])
@pytest.mark.parametrize("activation", ["identity", "relu"])
@pytest.mark.parametrize("norm", sorted(NORMS))
def test_parameter_count_formula_matches_the_module(d, hidden, decoder_hidden, activation, norm):
    config = ModelConfig(latent_dim=d, hidden_dims=hidden, decoder_hidden_dims=decoder_hidden, encoder_activation=activation,
                         hidden_norm=norm)
    assert parameter_count(config) == sum(p.numel() for p in AutoEncoder(config).parameters())


def test_a_batch_norm_follows_each_hidden_linear_and_is_fixed_in_eval_mode():
    model = AutoEncoder(ModelConfig(latent_dim=30, hidden_dims=(100, 50), hidden_norm="batch"))
    kinds = [type(layer).__name__ for layer in model.encoder]
    assert kinds == ["Linear", "BatchNorm1d", "ReLU", "Linear", "BatchNorm1d", "ReLU", "Linear", "Identity"]
    assert [type(layer).__name__ for layer in model.decoder].count("BatchNorm1d") == 2
    assert model.code_layer is model.encoder[-2] and model.decoder_weight.shape == (784, 100)
    x = torch.rand(8, 784)
    model.train()
    model(x)  # moves the running statistics
    model.eval()
    # in eval mode an image's reconstruction is its own (in train mode the batch's statistics would move it)
    assert torch.allclose(model(x[:1]), model(x)[:1], atol=1e-6)


def test_unknown_norm_or_hidden_activation_lists_the_choices():
    with pytest.raises(ValueError, match="batch"):
        ModelConfig(hidden_norm="group")
    with pytest.raises(ValueError, match="relu, silu|'relu', 'silu'"):
        ModelConfig(hidden_activation="mish")


def test_the_hidden_activation_is_chosen_by_name():
    model = AutoEncoder(ModelConfig(latent_dim=8, hidden_dims=(16,), hidden_activation="silu"))
    assert [type(layer).__name__ for layer in model.encoder] == ["Linear", "SiLU", "Linear", "Identity"]
    assert isinstance(model.decoder[1], torch.nn.SiLU)


def test_course_model_parameter_count_is_1569d_plus_784():
    for d in (16, 32, 64):
        assert parameter_count(ModelConfig(latent_dim=d)) == 1569 * d + 784


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_a_config_says_whether_its_code_can_be_exactly_zero(activation):
    model = AutoEncoder(ModelConfig(latent_dim=64, encoder_activation=activation, code_threshold=0.1))
    h = model.encode(torch.randn(256, 784) * 3)
    assert ModelConfig(encoder_activation=activation).sparse_code == bool((h == 0).any())


def test_relu_code_can_be_exactly_zero():
    model = AutoEncoder(ModelConfig(latent_dim=32, encoder_activation="relu"))
    h = model.encode(torch.rand(64, 784))
    assert (h == 0).any() and (h >= 0).all()


@pytest.mark.parametrize("bad", [0, -3, 2.5, None])
def test_bad_latent_dim_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="latent_dim"):
        ModelConfig(latent_dim=bad)


def test_unknown_activation_lists_the_choices():
    with pytest.raises(ValueError, match="identity"):
        ModelConfig(encoder_activation="swish")


def test_decoder_weight_columns_are_images():
    model = AutoEncoder(ModelConfig(latent_dim=16, hidden_dims=(64,)))
    assert model.decoder_weight.shape == (784, 64)
    assert AutoEncoder(ModelConfig(latent_dim=16)).decoder_weight.shape == (784, 16)


def test_jumprelu_code_is_zero_up_to_its_threshold_and_unshrunk_above():
    model = AutoEncoder(ModelConfig(latent_dim=5, encoder_activation="jumprelu", code_threshold=0.5))
    z = torch.tensor([[-1.0, 0.0, 0.5, 0.51, 2.0]], requires_grad=True)
    h = model.encoder[-1](z)
    assert torch.equal(h.detach(), torch.tensor([[0.0, 0.0, 0.0, 0.51, 2.0]]))
    h.sum().backward()
    assert torch.equal(z.grad, torch.tensor([[0.0, 0.0, 0.0, 1.0, 1.0]]))
    relu_like = AutoEncoder(ModelConfig(encoder_activation="jumprelu")).encoder[-1]  # threshold 0: a ReLU
    assert torch.equal(relu_like(torch.tensor([-1.0, 0.0, 2.0])), torch.tensor([0.0, 0.0, 2.0]))
    with pytest.raises(ValueError, match="code_threshold"):
        ModelConfig(code_threshold=-0.1)
