"""Install eOffice; gives the ``eoffice`` command (Frappe's ``bench``)."""

from setuptools import find_packages, setup

setup(
    name="eoffice",
    version="0.1.0",
    description="Quản lý văn bản và điều hành: document management and direction for "
    "Vietnamese public agencies",
    package_dir={"": "apps"},
    packages=find_packages("apps"),
    include_package_data=True,
    python_requires=">=3.11",
    install_requires=[],  # pinned in requirements.txt, installed by `make install`
    entry_points={"console_scripts": ["eoffice = eoffice.cli:main"]},
)
