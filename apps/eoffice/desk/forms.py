"""Forms of the desk: sign-in and API keys."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Sign in with the e-mail address and password (Frappe's way); messages in Vietnamese."""

    username = forms.EmailField(
        label=_("Email"),
        max_length=140,
        widget=forms.EmailInput(
            attrs={"autofocus": True, "autocomplete": "username", "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Vui lòng nhập địa chỉ email."),
            "invalid": _("Địa chỉ email không hợp lệ."),
        },
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Vui lòng nhập mật khẩu.")},
    )

    error_messages = {
        "invalid_login": _(
            "Email hoặc mật khẩu không đúng. Vui lòng kiểm tra lại (mật khẩu phân biệt chữ hoa, chữ thường)."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class ApiKeyForm(forms.Form):
    """Generate an API key: only a label, so that the person knows later what it is for."""

    label = forms.CharField(
        label=_("Ghi chú"),
        max_length=140,
        required=False,
        help_text=_("Dùng để làm gì, ví dụ: phần mềm một cửa, đồng bộ với tỉnh."),
    )
