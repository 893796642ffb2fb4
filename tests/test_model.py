import pytest
import torch

from zoo.model import ACTIVATIONS, AutoEncoder, ModelConfig, parameter_count


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
def test_parameter_count_formula_matches_the_module(d, hidden, decoder_hidden, activation):
    config = ModelConfig(latent_dim=d, hidden_dims=hidden, decoder_hidden_dims=decoder_hidden, encoder_activation=activation)
    assert parameter_count(config) == sum(p.numel() for p in AutoEncoder(config).parameters())


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
